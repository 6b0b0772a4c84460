// ESLint flat config: ESLint's recommended rules with Node.js's globals, and a few
// more that catch what slips through without a type checker: loose equality, `var`,
// reassigned constants, thrown non-errors, implicit coercions, unused private members.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";

export default defineConfig(
  { ignores: ["coverage/", "node_modules/"] },
  js.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: globals.node,
    },
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-throw-literal": "error",
      "no-implicit-coercion": "error",
      "no-unused-private-class-members": "error",
      // A leading underscore marks what is deliberately unused (Express's error handler
      // must take four arguments, a destructured rest drops a key).
      "no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
);

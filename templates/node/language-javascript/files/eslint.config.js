// ESLint flat config: ESLint's recommended rules with Node.js's globals, and the few
// rules that catch what a type checker would have: sloppy equality, loose variables,
// promises left floating in an async function.
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
      "object-shorthand": "error",
      "no-throw-literal": "error",
      "no-implicit-coercion": "error",
      "no-promise-executor-return": "error",
      "no-unused-private-class-members": "error",
      "require-atomic-updates": "off",
      // A leading underscore marks what is deliberately unused (Express's error handler
      // must take four arguments, a destructured rest drops a key).
      "no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
);

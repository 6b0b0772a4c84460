# The role that .github/workflows/deploy-aws.yml assumes through GitHub's OpenID Connect
# provider: short-lived credentials for one repository's `production` environment, and
# no access keys stored anywhere. Created only when github_repository is set.
#
# The role runs `terraform apply`, which creates IAM roles for this project, so it is
# powerful: anyone who can run the workflow can change this project's infrastructure.
# Protect the `production` environment in GitHub (required reviewers, main branch only).

variable "github_repository" {
  description = "owner/name of the GitHub repository allowed to deploy; empty: no deploy role."
  type        = string
  default     = ""
}

variable "github_oidc_provider_arn" {
  description = "ARN of the account's GitHub OIDC provider if it has one already (an account holds one per URL); empty: created here."
  type        = string
  default     = ""
}

locals {
  github_deploy       = var.github_repository != ""
  github_oidc_created = local.github_deploy && var.github_oidc_provider_arn == ""
}

resource "aws_iam_openid_connect_provider" "github" {
  count = local.github_oidc_created ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "deploy" {
  count = local.github_deploy ? 1 : 0

  # Outside the "<name>-" prefix it may manage, so the role cannot widen its own rights.
  name                 = "github-deploy-${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.deploy_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "deploy_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_created ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:production"]
    }
  }
}

# Everything but IAM, through AWS's managed PowerUserAccess policy …
resource "aws_iam_role_policy_attachment" "deploy" {
  count = local.github_deploy ? 1 : 0

  role       = aws_iam_role.deploy[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/PowerUserAccess"
}

# … and IAM only for this project's own roles (named "<name>-…"), the service-linked
# roles that ECS, RDS and the others create on first use, and reading itself and the
# OIDC provider (Terraform refreshes them on every run).
resource "aws_iam_role_policy" "deploy_iam" {
  count = local.github_deploy ? 1 : 0

  name   = "manage-project-roles"
  role   = aws_iam_role.deploy[0].id
  policy = data.aws_iam_policy_document.deploy_iam.json
}

data "aws_iam_policy_document" "deploy_iam" {
  statement {
    sid = "ProjectRoles"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole",
      "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
      "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
      "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole", "iam:PassRole",
    ]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/${var.name}-*"]
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/*"]
  }

  statement {
    sid       = "ReadItself"
    actions   = ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/github-deploy-${var.name}"]
  }

  statement {
    sid       = "ReadOIDCProvider"
    actions   = ["iam:GetOpenIDConnectProvider"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com"]
  }
}

output "deploy_role_arn" {
  description = "Role for the deploy workflow: the AWS_DEPLOY_ROLE_ARN repository variable."
  value       = local.github_deploy ? aws_iam_role.deploy[0].arn : null
}

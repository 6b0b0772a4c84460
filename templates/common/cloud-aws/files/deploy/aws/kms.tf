# One customer-managed key encrypts everything this project stores at rest: logs, secrets,
# images, and the data stores. A key of its own (rather than AWS's default keys) means
# access to the data can be audited in CloudTrail and cut off in one place.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}

resource "aws_kms_key" "main" {
  description             = "${var.name}: logs, secrets, images and data at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "main" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.main.key_id
}

data "aws_iam_policy_document" "kms" {
  # The account's IAM policies decide who may use the key (AWS's default key policy):
  # the roles below get exactly the use they need, and AWS services that encrypt on
  # their behalf (RDS, Secrets Manager, ECR, …) act through those permissions.
  #checkov:skip=CKV_AWS_109:A key policy's "*" resource is the key itself; the account root delegates to IAM, as AWS's default key policy does.
  #checkov:skip=CKV_AWS_111:A key policy's "*" resource is the key itself; the account root delegates to IAM, as AWS's default key policy does.
  #checkov:skip=CKV_AWS_356:A key policy's "*" resource is the key itself; the account root delegates to IAM, as AWS's default key policy does.
  statement {
    sid       = "AccountIAMPolicies"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs encrypts log groups itself and needs the key policy to say so, for
  # this account's log groups only.
  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
    }
  }
}

# The receipts bucket on Amazon S3: private, encrypted with the project's key, versioned,
# reachable over TLS only. The app uses it through its task role: no access keys.

locals {
  storage_for_app = {
    environment = {
      S3_BUCKET = aws_s3_bucket.receipts.id
      S3_REGION = var.region
    }
    secrets     = {}
    efs_volumes = {}
    max_tasks   = null
  }
}

resource "aws_s3_bucket" "receipts" {
  #checkov:skip=CKV_AWS_18:Server access logs would need a second bucket; CloudTrail data events are the better audit trail if one is needed.
  #checkov:skip=CKV_AWS_144:Cross-region replication doubles storage and needs a bucket in a second region; versioning already guards against deletes and overwrites.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new receipts; the app handles them in its own requests.
  bucket_prefix = "${var.name}-receipts-"
}

resource "aws_s3_bucket_public_access_block" "receipts" {
  bucket                  = aws_s3_bucket.receipts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "receipts" {
  bucket = aws_s3_bucket.receipts.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "receipts" {
  bucket = aws_s3_bucket.receipts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "receipts" {
  bucket = aws_s3_bucket.receipts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.main.arn
    }
    # One data key per bucket rather than per object: far fewer (billed) KMS requests.
    bucket_key_enabled = true
  }
}

# Overwritten and deleted receipts stay recoverable for 30 days, then go.
resource "aws_s3_bucket_lifecycle_configuration" "receipts" {
  bucket = aws_s3_bucket.receipts.id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.receipts]
}

resource "aws_s3_bucket_policy" "receipts" {
  bucket = aws_s3_bucket.receipts.id
  policy = data.aws_iam_policy_document.receipts_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.receipts]
}

data "aws_iam_policy_document" "receipts_bucket" {
  statement {
    sid       = "TLSOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.receipts.arn, "${aws_s3_bucket.receipts.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# What receipts.py does: list (so that a missing receipt reads as 404, not 403), read,
# write, delete; with the key that encrypts the objects.
resource "aws_iam_role_policy" "task_receipts" {
  name   = "use-receipts-bucket"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_receipts.json
}

data "aws_iam_policy_document" "task_receipts" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.receipts.arn]
  }

  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.receipts.arn}/*"]
  }

  statement {
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.main.arn]
  }
}

# H2 on AWS: the database file (/app/data/<name>.mv.db, where the image's
# SPRING_DATASOURCE_URL points) lives on an encrypted EFS file system, so it survives
# task replacements and deploys. H2 lets one process open the file at a time (it holds a
# lock file next to it): the app runs as exactly one task, and a deploy stops the old
# task before it starts the new one (a short pause in service). To run more tasks, move
# to --database postgresql or mysql.

locals {
  database_for_app = {
    environment = {}
    secrets     = {}
    efs_volumes = {
      h2 = {
        file_system_id  = aws_efs_file_system.h2.id
        access_point_id = aws_efs_access_point.h2.id
        container_path  = "/app/data"
      }
    }
    max_tasks = 1
  }
}

resource "aws_efs_file_system" "h2" {
  encrypted  = true
  kms_key_id = aws_kms_key.main.arn

  tags = { Name = "${var.name}-h2" }
}

# Daily backups by AWS Backup, kept 35 days.
resource "aws_efs_backup_policy" "h2" {
  file_system_id = aws_efs_file_system.h2.id

  backup_policy {
    status = "ENABLED"
  }
}

# The image runs as uid 10001; the access point gives it a directory of its own.
resource "aws_efs_access_point" "h2" {
  file_system_id = aws_efs_file_system.h2.id

  posix_user {
    uid = 10001
    gid = 10001
  }

  root_directory {
    path = "/h2"

    creation_info {
      owner_uid   = 10001
      owner_gid   = 10001
      permissions = "0750"
    }
  }
}

resource "aws_efs_mount_target" "h2" {
  count = length(local.azs)

  file_system_id  = aws_efs_file_system.h2.id
  subnet_id       = aws_subnet.private[count.index].id
  security_groups = [aws_security_group.database.id]
}

resource "aws_security_group" "database" {
  name_prefix = "${var.name}-h2-efs-"
  description = "${var.name} H2 file system: NFS from the app tasks only"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "database_from_app" {
  security_group_id            = aws_security_group.database.id
  description                  = "NFS from the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
}

resource "aws_vpc_security_group_egress_rule" "app_to_database" {
  security_group_id            = aws_security_group.app.id
  description                  = "To the H2 file system (NFS)"
  referenced_security_group_id = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
}

# Only the app's task role may mount and write, only through the access point, only
# over TLS.
resource "aws_efs_file_system_policy" "h2" {
  file_system_id = aws_efs_file_system.h2.id
  policy         = data.aws_iam_policy_document.h2_file_system.json
}

data "aws_iam_policy_document" "h2_file_system" {
  statement {
    sid       = "AppTasks"
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.h2.arn]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.task.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [aws_efs_access_point.h2.arn]
    }
  }

  statement {
    sid       = "TLSOnly"
    effect    = "Deny"
    actions   = ["*"]
    resources = [aws_efs_file_system.h2.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_iam_role_policy" "task_h2" {
  name   = "mount-h2-file-system"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_h2.json
}

data "aws_iam_policy_document" "task_h2" {
  statement {
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.h2.arn]

    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [aws_efs_access_point.h2.arn]
    }
  }
}

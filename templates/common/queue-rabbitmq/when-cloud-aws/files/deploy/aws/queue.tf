# RabbitMQ on Amazon MQ: one private broker, TLS only (AMQPS on 5671). The app and the
# worker read AMQP_URL from Secrets Manager.

variable "queue_instance_type" {
  description = "Amazon MQ instance type of the RabbitMQ broker."
  type        = string
  default     = "mq.t3.micro"
}

variable "queue_engine_version" {
  description = "RabbitMQ version of the broker; Amazon MQ applies patch versions in the maintenance window."
  type        = string
  default     = "3.13"
}

locals {
  queue_for_app = {
    environment = {}
    secrets     = { AMQP_URL = aws_secretsmanager_secret_version.queue_url.secret_id }
    efs_volumes = {}
    max_tasks   = null
  }
}

# Amazon MQ takes the password only as a plain argument, so it is kept in the state
# (encrypted in the state bucket). Letters and digits: safe in a URL as they are.
resource "random_password" "queue" {
  length  = 32
  special = false
}

resource "aws_security_group" "queue" {
  name_prefix = "${var.name}-queue-"
  description = "${var.name} RabbitMQ: AMQPS from the app and worker tasks only"
  vpc_id      = aws_vpc.main.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "queue_from_app" {
  security_group_id            = aws_security_group.queue.id
  description                  = "AMQPS from the app and worker tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 5671
  to_port                      = 5671
}

resource "aws_vpc_security_group_egress_rule" "app_to_queue" {
  security_group_id            = aws_security_group.app.id
  description                  = "To RabbitMQ (AMQPS)"
  referenced_security_group_id = aws_security_group.queue.id
  ip_protocol                  = "tcp"
  from_port                    = 5671
  to_port                      = 5671
}

resource "aws_mq_broker" "main" {
  #checkov:skip=CKV_AWS_209:Amazon MQ encrypts RabbitMQ brokers at rest with an AWS-owned key only; it takes no customer-managed key for this engine.
  broker_name                = "${var.name}-queue"
  engine_type                = "RabbitMQ"
  engine_version             = var.queue_engine_version
  host_instance_type         = var.queue_instance_type
  deployment_mode            = "SINGLE_INSTANCE"
  subnet_ids                 = [aws_subnet.private[0].id]
  security_groups            = [aws_security_group.queue.id]
  publicly_accessible        = false
  auto_minor_version_upgrade = true

  user {
    username = "app"
    password = random_password.queue.result
  }

  logs {
    general = true
  }

  maintenance_window_start_time {
    day_of_week = "SUNDAY"
    time_of_day = "06:30"
    time_zone   = "UTC"
  }

  # Amazon MQ neither reports nor updates a RabbitMQ broker's users after creating it.
  lifecycle {
    ignore_changes = [user]
  }

  depends_on = [aws_cloudwatch_log_resource_policy.queue]
}

# Amazon MQ writes the broker's log to CloudWatch itself (/aws/amazonmq/broker/…), once
# the account lets it.
resource "aws_cloudwatch_log_resource_policy" "queue" {
  policy_name     = "${var.name}-amazon-mq-logs"
  policy_document = data.aws_iam_policy_document.queue_logs.json
}

data "aws_iam_policy_document" "queue_logs" {
  statement {
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/amazonmq/*"]

    principals {
      type        = "Service"
      identifiers = ["mq.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_secretsmanager_secret" "queue_url" {
  #checkov:skip=CKV2_AWS_57:The URL embeds the broker user's password, which Amazon MQ sets once at creation; rotation is a manual step (README).
  name_prefix             = "${var.name}/AMQP_URL-"
  description             = "AMQP_URL of the ${var.name} app and worker (Amazon MQ for RabbitMQ, TLS)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

# The broker's endpoint is amqps://<id>.mq.<region>.amazonaws.com:5671; the URL adds the
# user and the default virtual host.
resource "aws_secretsmanager_secret_version" "queue_url" {
  secret_id     = aws_secretsmanager_secret.queue_url.arn
  secret_string = "amqps://app:${random_password.queue.result}@${trimprefix(aws_mq_broker.main.instances[0].endpoints[0], "amqps://")}/%2F"
}

"""The Terraform checks the render tier applies where `terraform validate` cannot run."""

from __future__ import annotations

from generator.verify import terraform

MAIN = """
variable "region" {
  type = string
}

resource "aws_s3_bucket" "receipts" {
  bucket = "shop-${var.region}"
}
"""


def test_undeclared_references_and_double_declarations_are_found() -> None:
    good = {"deploy/main.tf": terraform.parse(MAIN)}
    assert terraform.references(good) == []
    broken = {
        **good,
        "deploy/app.tf": terraform.parse(
            'resource "aws_s3_bucket" "receipts" {\n  bucket = var.name\n}\n'
            'output "bucket" {\n  value = aws_s3_bucket.logs.id\n}\n'
        ),
    }
    found = terraform.references(broken)
    assert "deploy/app.tf: var.name is not declared" in found
    assert "deploy/app.tf: aws_s3_bucket.logs is not declared" in found
    assert any("aws_s3_bucket.receipts is declared 2 times" in p for p in found)


def test_a_checkov_skip_must_say_why() -> None:
    text = (
        "#checkov:skip=CKV_AWS_18: access logs would double the bucket's cost here\n"
        "#checkov:skip=CKV_AWS_144\n"
    )
    assert terraform.skip_reasons("main.tf", text) == [
        "main.tf: checkov:skip=CKV_AWS_144 gives no reason"
    ]

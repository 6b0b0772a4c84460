"""The Terraform checks the render tier applies where `terraform validate` cannot run."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.verify import checkov, terraform

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


def test_checkov_judges_a_module_alike_alone_and_in_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batching is only a speed-up: each folder keeps its own verdict, and its skips."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # no verdict from an earlier run
    open_bucket = {"deploy/aws/main.tf": MAIN.encode()}
    skipped = MAIN.replace(
        'resource "aws_s3_bucket" "receipts" {\n',
        'resource "aws_s3_bucket" "receipts" {\n'
        "  #checkov:skip=CKV_AWS_18: a test bucket that keeps no access logs on purpose\n",
    )
    quieter = {"deploy/gcp/main.tf": skipped.encode()}
    batched = checkov.judge("terraform", [("deploy/aws", open_bucket), ("deploy/gcp", quieter)])
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "alone"))
    alone = [
        checkov.judge("terraform", [module])[0]
        for module in [("deploy/aws", open_bucket), ("deploy/gcp", quieter)]
    ]
    assert batched == alone
    assert any("CKV_AWS_18" in p and p.startswith("deploy/aws/main.tf") for p in batched[0])
    assert not any("CKV_AWS_18" in p for p in batched[1])
    assert batched[1] and all(p.startswith("deploy/gcp/main.tf") for p in batched[1])

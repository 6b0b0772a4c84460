# Settings shared by every `terraform apply`, yours and the deploy workflow's: commit
# this file. variables.tf (and each service's file) lists every variable and its default.

# region = "us-east-1"

# The GitHub repository whose deploy workflow may assume the deploy role (github.tf).
# github_repository = "your-org/your-repo"

# Serve HTTPS: an ACM certificate for your domain, in the same region.
# certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/…"

# Two tasks or more survive the loss of an availability zone.
# min_tasks = 2

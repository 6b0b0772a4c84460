# Settings shared by every `terraform apply`, yours and the deploy workflow's: commit
# this file. variables.tf (and each service's file) lists every variable and its default.

# project_id = "your-project-id"
# region     = "us-central1"

# The GitHub repository whose deploy workflow may sign in as the deploy account (github.tf).
# github_repository = "your-org/your-repo"

# Serve HTTPS with a Google-managed certificate: your domain, its A record pointing at
# the `lb_ip_address` output.
# domain = "api.example.com"

# Two instances or more keep answering while one is replaced.
# min_instances = 2

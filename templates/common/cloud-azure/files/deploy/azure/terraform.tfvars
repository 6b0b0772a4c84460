# Settings shared by every `terraform apply`, yours and the deploy workflow's: commit
# this file. variables.tf (and each service's file) lists every variable and its default.

# location = "eastus2"

# The GitHub repository whose deploy workflow may sign in as the deploy identity (github.tf).
# github_repository = "your-org/your-repo"

# Two replicas or more keep the API up while one restarts.
# min_replicas = 2

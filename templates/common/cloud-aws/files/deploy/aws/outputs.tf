output "url" {
  description = "Where the API answers."
  value       = "${local.https ? "https" : "http"}://${aws_lb.main.dns_name}"
}

output "ecr_repository_url" {
  description = "Push the app's image here, tagged with the value you pass as image_tag."
  value       = aws_ecr_repository.app.repository_url
}

output "cluster_name" {
  description = "The ECS cluster that runs the app."
  value       = aws_ecs_cluster.main.name
}

output "app_log_group" {
  description = "CloudWatch log group of the app's JSON logs (`aws logs tail <name> --follow`)."
  value       = aws_cloudwatch_log_group.app.name
}

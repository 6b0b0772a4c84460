# Amazon CloudFront in front of the load balancer. It caches what the app marks public
# (one order, for CDN_MAX_AGE_SECONDS) and nothing else: the cache policy's TTLs defer to
# the app's Cache-Control, so `no-cache` lists are revalidated and writes (`no-store`)
# pass straight through. No cookie reaches the app, which keeps conditional requests on:
# CloudFront answers If-None-Match itself from a fresh copy and revalidates a stale one
# with the app's ETag, getting a 304 back when the order did not change.

variable "cdn_origin_domain" {
  description = "With certificate_arn set: a domain name of that certificate that points at the load balancer, so CloudFront reaches it over HTTPS. Unused without a certificate."
  type        = string
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || var.cdn_origin_domain != ""
    error_message = "With certificate_arn set, cdn_origin_domain must name the load balancer by a domain of that certificate."
  }
}

variable "cdn_price_class" {
  description = "CloudFront edge locations to use: PriceClass_100 (North America and Europe, cheapest), PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"
}

locals {
  # Without a certificate the load balancer speaks plain HTTP only, by its AWS name.
  cdn_origin_domain = local.https ? var.cdn_origin_domain : aws_lb.main.dns_name
}

resource "aws_cloudfront_cache_policy" "api" {
  name        = "${var.name}-api"
  comment     = "Cache only what the app marks cacheable, for as long as its Cache-Control says"
  default_ttl = 0
  min_ttl     = 0
  max_ttl     = 3600

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    # ?limit=&offset= select a page of GET /orders.
    query_strings_config {
      query_string_behavior = "all"
    }
  }
}

resource "aws_cloudfront_origin_request_policy" "api" {
  name    = "${var.name}-api"
  comment = "What the app needs of a request besides the cache key; never cookies"

  cookies_config {
    cookie_behavior = "none"
  }
  headers_config {
    header_behavior = "whitelist"
    headers {
      items = ["Accept", "Content-Type", "Origin"]
    }
  }
  query_strings_config {
    query_string_behavior = "all"
  }
}

resource "aws_cloudfront_response_headers_policy" "api" {
  name    = "${var.name}-api"
  comment = "Security headers on every answer; the app's own headers are kept"

  security_headers_config {
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "no-referrer"
      override        = true
    }
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
  }
}

resource "aws_cloudfront_distribution" "api" {
  #checkov:skip=CKV_AWS_68:AWS WAF costs $5+ a month plus $1 per rule; attach a web ACL (web_acl_id) once the API faces abuse worth filtering, as for the load balancer.
  #checkov:skip=CKV2_AWS_47:No web ACL yet (see CKV_AWS_68); the app runs no Java, so the Log4j rule set would protect nothing.
  #checkov:skip=CKV_AWS_86:The app logs every request that reaches it to CloudWatch; CloudFront's standard logs would need a bucket with ACLs enabled for lines about cache hits only.
  #checkov:skip=CKV_AWS_174:The default *.cloudfront.net certificate cannot pin a minimum TLS version; set an ACM certificate and aliases for your domain to use TLSv1.2_2021.
  #checkov:skip=CKV2_AWS_42:Uses the default *.cloudfront.net certificate until you add your own domain (aliases + an ACM certificate in us-east-1).
  #checkov:skip=CKV2_AWS_54:The default *.cloudfront.net certificate cannot pin a minimum TLS version; set an ACM certificate and aliases for your domain to use TLSv1.2_2021.
  #checkov:skip=CKV_AWS_305:An API has no index document: the root path is left to the app, which answers 404 not_found.
  #checkov:skip=CKV_AWS_310:There is one origin, the load balancer, which already spreads requests over healthy tasks in two zones.
  #checkov:skip=CKV_AWS_374:A public API serves every country; restrict geography here if your business must.
  enabled         = true
  is_ipv6_enabled = true
  comment         = "${var.name} API"
  price_class     = var.cdn_price_class
  http_version    = "http2and3"

  origin {
    origin_id   = "alb"
    domain_name = local.cdn_origin_domain

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = local.https ? "https-only" : "http-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = 30
      origin_keepalive_timeout = 5
    }
  }

  default_cache_behavior {
    target_origin_id           = "alb"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.api.id
    origin_request_policy_id   = aws_cloudfront_origin_request_policy.api.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.api.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

output "cdn_url" {
  description = "Where the API answers through CloudFront (HTTPS; plain HTTP is redirected)."
  value       = "https://${aws_cloudfront_distribution.api.domain_name}"
}

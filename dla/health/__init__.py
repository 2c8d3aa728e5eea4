"""Health check for load balancers and orchestration."""

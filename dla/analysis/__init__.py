"""System analysis, barrier links, persistent barriers, milestones and decisions."""

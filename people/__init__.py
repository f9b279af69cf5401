"""People: users, teams, reporting lines, roles and the access policy everyone else uses."""

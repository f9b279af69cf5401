"""How the product reaches people beyond the page: calendar invitations and Slack."""

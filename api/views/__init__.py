"""The REST API's views, one module per app; thin: validate, call a service
or a selector, answer."""

"""What ``make load`` and ``make drills`` share: the production stack they
start (``stack``), the locust mix (``locustfile``), running it and reading
its figures (``run``), and the verification afterwards (``verify``)."""

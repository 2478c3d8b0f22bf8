class TermsAcceptanceMiddleware:
    """Placeholder replaced by the accounts work: users who have not accepted
    the current terms version are sent to read and accept them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

"""What every channel shares, parameterised by the platform's limits.

Text splitting, the webhook body cap, the user's language, one retry policy (each platform
classifies its own errors) and one upload cache live here once; a channel package keeps only
its payload parsing, its rendering and its HTTP client.
"""

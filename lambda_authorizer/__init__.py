"""The bundled API Gateway Lambda authorizer (``api_authorizer``): standard library plus
``cognito_tokens``; packaged by ``constructs_lib.lambda_authorizer``."""

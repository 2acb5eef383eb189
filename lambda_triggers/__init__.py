"""Bundled Amazon Cognito user pool Lambda triggers.

Each module is a plain Lambda handler module (``handler(event, context)``) that needs only the
standard library and the boto3 that the Lambda Python runtime provides, so this folder is the
Lambda asset as it is: no bundling, no Docker. The constructs in ``constructs_lib`` deploy them
with handler strings such as ``pre_token_generation.handler``.

Modules:
    pre_token_generation: claims from a DynamoDB table and groups, V1_0/V2_0/V3_0 responses.
    pre_sign_up: email domain rules, auto-confirmation, federated account linking.
    post_confirmation: default group and an idempotent profile record.
    custom_message: templated verification, invitation and MFA messages.

This file is deliberately empty of imports: importing the package must cost nothing.
"""

"""Tools that read synthesized CloudFormation templates: the ``cognito-auth`` command.

Nothing here imports ``aws_cdk`` or ``constructs_lib``, so the command starts fast in any CI and
works on templates of any app, not only this library's.
"""

"""Every default of the constructs, each with the reason it was chosen.

A change here changes what every user of the library deploys; ``tests/test_defaults.py`` pins each
value so that such a change is a visible, reviewed diff.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito

# Sign-in and sign-up -------------------------------------------------------------------------

#: Email is what users remember and what federation can match on; phone numbers get recycled.
SIGN_IN_ALIASES = cognito.SignInAliases(email=True)
#: ``User@Example.com`` and ``user@example.com`` must be one account. Immutable after creation.
SIGN_IN_CASE_SENSITIVE = False
#: Public registration is a product decision, so an app opts in; admins can always invite users.
SELF_SIGN_UP_ENABLED = False
#: With email sign-in, every user needs an email address, and it can change later.
STANDARD_ATTRIBUTES: dict[str, cognito.StandardAttribute] = {
    "email": cognito.StandardAttribute(required=True, mutable=True),
}

# Passwords -----------------------------------------------------------------------------------

#: NIST SP 800-63B favours length; 12 with every character class resists online guessing.
PASSWORD_MIN_LENGTH = 12
PASSWORD_REQUIRE_LOWERCASE = True
PASSWORD_REQUIRE_UPPERCASE = True
PASSWORD_REQUIRE_DIGITS = True
PASSWORD_REQUIRE_SYMBOLS = True
#: An invitation should not stay usable for a week (Cognito's own default is 7 days).
TEMP_PASSWORD_VALIDITY = Duration.days(3)
#: Stop users cycling back to a leaked password. Needs the ESSENTIALS plan or higher, so it is
#: applied only there; on LITE no history is set.
PASSWORD_HISTORY_SIZE = 5

# Multi-factor authentication -----------------------------------------------------------------

#: Users can turn MFA on without an app forcing it on everyone from day one.
MFA = cognito.Mfa.OPTIONAL
#: TOTP costs nothing and cannot be SIM-swapped; SMS costs money and needs an SNS role, email MFA
#: needs SES. Both are opt-in.
MFA_SECOND_FACTOR_OTP = True
MFA_SECOND_FACTOR_SMS = False
MFA_SECOND_FACTOR_EMAIL = False

# Plan, recovery and protection ---------------------------------------------------------------

#: Cognito's default for new pools: managed login, passwordless, email MFA, access-token
#: customization and password history, with 10,000 free MAU. PLUS costs more per user.
FEATURE_PLAN = cognito.FeaturePlan.ESSENTIALS
#: Recovery by email only: SMS recovery can be hijacked through a SIM swap, and SMS as a
#: recovery channel would make it a single factor for users who also use SMS MFA.
ACCOUNT_RECOVERY = cognito.AccountRecovery.EMAIL_ONLY
#: A pool holds every user and password hash, and hashes cannot be exported: never delete it
#: through a stack update or by accident.
DELETION_PROTECTION = True
REMOVAL_POLICY = RemovalPolicy.RETAIN
#: Answer "user not found" and "wrong password" alike so that sign-in cannot enumerate users.
#: (Set per app client; recorded here so every client of this library uses it.)
PREVENT_USER_EXISTENCE_ERRORS = True

# Limits from the service, used by the validators ---------------------------------------------

PASSWORD_MIN_LENGTH_RANGE = (6, 99)
PASSWORD_HISTORY_SIZE_RANGE = (0, 24)
TEMP_PASSWORD_VALIDITY_DAYS_MAX = 365
CUSTOM_ATTRIBUTES_MAX = 50
CUSTOM_ATTRIBUTE_NAME_MAX_LENGTH = 20
STRING_ATTRIBUTE_MAX_LENGTH = 2048
GROUP_NAME_MAX_LENGTH = 128
GROUP_PRECEDENCE_MAX = 2**31 - 1

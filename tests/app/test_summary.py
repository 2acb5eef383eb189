"""``make synth`` ends with a human summary of what was defined."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from constructs_lib.summary import main, summarize
from tests.scenarios.builders import example_stack, maximal_user_pool_stack, operations_stack


def synth(outdir: Path, *builders: object) -> Path:
    app = App(builtin_cloud_formation_validation=False, outdir=str(outdir))
    for build in builders:
        build(app)  # type: ignore[operator]
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()
    return outdir


def test_summary_of_the_example_app(tmp_path: Path) -> None:
    text = summarize(synth(tmp_path, example_stack))
    assert "Stack CognitoAuthExample" in text
    assert "sign-in: email; case-sensitive: off; self sign-up: on" in text
    assert (
        "password: min 12, lower, upper, digit, symbol; temporary valid 3 days; history 5" in text
    )
    assert "MFA: OPTIONAL with SOFTWARE_TOKEN_MFA" in text
    assert "deletion protection: on; retained on delete/replace: on" in text
    assert "groups: admins, users" in text
    assert (
        "triggers: CustomMessage, PostConfirmation, PreSignUp, PreTokenGenerationConfig (V2_0)"
        in text
    )
    assert "app clients: web (public, code)" in text
    assert "hosted UI domain: Cognito prefix set at deploy (managed login)" in text
    assert "identity providers: none" in text
    assert "identity pool: guest access off" in text
    assert "outputs: AuthorizeUrl, ClientIdWeb, HostedUiBaseUrl, IdentityPoolId, " in text
    assert "no unacknowledged findings" in text
    # A summary, not the template.
    assert len(text.splitlines()) < 25


def test_summary_shows_what_is_switched_on(tmp_path: Path) -> None:
    text = summarize(synth(tmp_path, maximal_user_pool_stack))
    assert "MFA: ON with SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP" in text
    assert "threat protection: ENFORCED" in text
    assert "first factors: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN" in text
    assert "email: DEVELOPER" in text


def test_summary_without_an_assembly_says_what_to_run(tmp_path: Path, capsys: object) -> None:
    assert main([str(tmp_path)]) == 1
    assert "run `make synth` first" in capsys.readouterr().err  # type: ignore[attr-defined]


def test_summary_lists_what_is_watched(tmp_path: Path) -> None:
    text = summarize(synth(tmp_path, example_stack, operations_stack))
    assert (
        "watched: 18 alarms (throttles of SignIn, SignUp, TokenRefresh, Federation; "
        "UserAuthentication quota >= 80 %; sign-in success ratio < 0.5; 4 triggers' Errors, "
        "Throttles, p99 Duration); dashboards: 1"
    ) in text
    assert (
        "web ACL on the user pool: 4 rules: rate limit 1000 per client IP per 300 s (block), "
        "AWSManagedRulesCommonRuleSet (block), AWSManagedRulesKnownBadInputsRuleSet (block), "
        "AWSManagedRulesAmazonIpReputationList (block); request logs: on"
    ) in text
    assert "Cognito log delivery: userNotification ERROR -> CloudWatchLogs\n" in text
    # The scenario: count mode, authentication events, and the capacity warning.
    assert "rate limit 300 per client IP per 60 s (count)" in text
    assert "userAuthEvents INFO -> CloudWatchLogs" in text
    assert "needs about 400 requests per second in Cognito's UserAuthentication category" in text


def test_summary_of_a_stack_without_operations_has_no_such_lines(tmp_path: Path) -> None:
    text = summarize(synth(tmp_path, maximal_user_pool_stack))
    assert "watched:" not in text and "web ACL" not in text and "log delivery" not in text

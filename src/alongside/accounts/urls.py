from django.urls import path

from alongside.accounts import passkey_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("signup/", views.signup, name="signup"),
    path("settings/", views.account_settings, name="settings"),
    path("passkeys/add/options/", passkey_views.add_options, name="passkey_add_options"),
    path("passkeys/add/", passkey_views.add, name="passkey_add"),
    path("passkeys/check/options/", passkey_views.check_options, name="passkey_check_options"),
    path("passkeys/check/", passkey_views.check, name="passkey_check"),
    path("passkeys/remove/", passkey_views.remove, name="passkey_remove"),
    path("passkeys/sign-in/options/", passkey_views.sign_in_options, name="passkey_sign_in_options"),
    path("passkeys/sign-in/", passkey_views.sign_in, name="passkey_sign_in"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

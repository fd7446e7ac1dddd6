using Microsoft.Playwright;

namespace TaobaoAlliance.Browser.Tests.Infrastructure;

/// <summary>The account steps every journey starts with, done through the real forms.</summary>
public static class Portal
{
    public const string Password = "Journey!pass1";

    /// <summary>
    /// Signs up, opens the confirmation link of the email (read from the app's outbox, as the user reads their inbox),
    /// and signs in from the confirmation page, which goes on to <paramref name="returnUrl"/>.
    /// </summary>
    public static async Task SignUpAsync(AllianceApp app, IPage page, string email, string accountType, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/Account/SignUp" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.DisplayName']", email.Split('@')[0]);
        await page.FillAsync("input[name='Input.Password']", Password);
        await page.FillAsync("input[name='Input.ConfirmPassword']", Password);
        await page.CheckAsync($"input[name='Input.AccountType'][value='{accountType}']");
        await page.Locator("form[action*='SignUp'] button[type='submit']").ClickAsync();
        await page.Locator("#confirmation-sent").WaitForAsync();
        await page.GotoAsync(await BrowserSession.ConfirmationLinkAsync(app, email));
        await page.Locator("#email-confirmed").WaitForAsync();
        await page.Locator("main a.btn-alliance").ClickAsync();
        await page.WaitForLoadStateAsync();
        await SubmitSignInAsync(page, email, Password);
    }

    /// <summary>Signs in; a demo account with two-factor sign-in gets the code computed from its published key.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/Account/SignIn");
        await SubmitSignInAsync(page, email, password);
    }

    private static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", password);
        await page.Locator("form[action*='SignIn'] button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
        if (page.Url.Contains("/Account/TwoFactorSignIn", StringComparison.Ordinal) && Totp.DemoKeys.TryGetValue(email, out var key))
        {
            await page.FillAsync("input[name='Code']", Totp.Code(key));
            await page.Locator("#authenticator-code-form button[type='submit']").ClickAsync();
            await page.WaitForLoadStateAsync();
        }
    }

    /// <summary>A new address for a journey's account, so runs never collide.</summary>
    public static string NewEmail(string role) => $"{role}-{Guid.NewGuid():N}"[..20] + "@test.local";
}

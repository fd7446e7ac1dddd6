using Microsoft.Playwright;

namespace TaobaoAlliance.Browser.Tests.Infrastructure;

/// <summary>The account steps every journey starts with, done through the real forms.</summary>
public static class Portal
{
    public const string Password = "Journey!pass1";

    public static async Task SignUpAsync(IPage page, string email, string accountType, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/Account/SignUp" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.DisplayName']", email.Split('@')[0]);
        await page.FillAsync("input[name='Input.Password']", Password);
        await page.FillAsync("input[name='Input.ConfirmPassword']", Password);
        await page.CheckAsync($"input[name='Input.AccountType'][value='{accountType}']");
        await page.Locator("form[action*='SignUp'] button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    public static async Task SignInAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", password);
        await page.Locator("form[action*='SignIn'] button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    /// <summary>A new address for a journey's account, so runs never collide.</summary>
    public static string NewEmail(string role) => $"{role}-{Guid.NewGuid():N}"[..20] + "@test.local";
}

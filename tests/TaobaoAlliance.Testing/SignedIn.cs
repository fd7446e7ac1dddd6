using Microsoft.EntityFrameworkCore;

namespace TaobaoAlliance.Testing;

/// <summary>
/// A webmaster signed in in a browser of their own. <see cref="Webmaster"/> has the approved site and zone
/// the builder gave them (<see cref="SignedIn.NewSignedInWebmasterAsync"/>), or 0 for both when it gave none.
/// </summary>
public sealed record SignedInWebmaster(BrowserSession Browser, TestWebmaster Webmaster) : IDisposable
{
    public long WebmasterId => Webmaster.Id;

    public long UserId => Webmaster.UserId;

    public void Dispose() => Browser.Dispose();
}

/// <summary>Users signed in through the real forms, so the cookie and the antiforgery tokens are real.</summary>
public static class SignedIn
{
    public const string WebmasterPassword = "Webmaster!pass1";

    /// <summary>A new webmaster account, signed up through the form (so the test owns everything it sees), without a site.</summary>
    public static async Task<SignedInWebmaster> NewWebmasterAsync(this AllianceApp app, string? acceptLanguage = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var browser = new BrowserSession(app, acceptLanguage);
        var email = $"wm-{Guid.NewGuid():N}@example.test";
        await browser.SignUpAsync(email, WebmasterPassword, "Webmaster");
        return new SignedInWebmaster(browser, await WebmasterAsync(app, email));
    }

    /// <summary>A new webmaster, signed up through the form, with an approved site and one zone to click on.</summary>
    public static async Task<SignedInWebmaster> NewSignedInWebmasterAsync(this AllianceApp app, string siteName = "My site", string zoneName = "Sidebar")
    {
        var signedIn = await app.NewWebmasterAsync();
        return signedIn with { Webmaster = await app.NewSiteAsync(signedIn.Webmaster, siteName, zoneName) };
    }

    /// <summary>A demo webmaster signed in (webmaster1 or webmaster2 of seeds/accounts.json).</summary>
    public static async Task<SignedInWebmaster> DemoWebmasterAsync(this AllianceApp app, int number)
    {
        ArgumentNullException.ThrowIfNull(app);
        var browser = new BrowserSession(app);
        var email = $"webmaster{number}@taobaoalliance.local";
        await browser.SignInAsync(email, $"Webmaster{number}!demo");
        return new SignedInWebmaster(browser, await WebmasterAsync(app, email));
    }

    /// <summary>A demo seller signed in (seller1 or seller2 of seeds/accounts.json).</summary>
    public static async Task<BrowserSession> DemoSellerAsync(this AllianceApp app, int number)
    {
        ArgumentNullException.ThrowIfNull(app);
        var browser = new BrowserSession(app);
        await browser.SignInAsync($"seller{number}@taobaoalliance.local", $"Seller{number}!demo");
        return browser;
    }

    /// <summary>
    /// Sets the webmaster's payout method through the real page: turns on two-factor sign-in first if this browser has
    /// not (through the real setup page), then posts the form with a fresh code computed from the key.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitPayoutMethodAsync(this SignedInWebmaster me, string account = "13800138000",
        string kind = "Alipay", string holderName = "Li Ming", string bankName = "", string? code = null)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (me.Browser.AuthenticatorKey is null) await me.Browser.EnrollTwoFactorAsync();
        return await me.Browser.SubmitAsync("/Webmaster/PayoutMethod", f => f.Fields.ContainsKey("Input.Code"), new Dictionary<string, string>
        {
            ["Input.Kind"] = kind, ["Input.HolderName"] = holderName, ["Input.Account"] = account, ["Input.BankName"] = bankName,
            ["Input.Code"] = code ?? Totp.Code(me.Browser.AuthenticatorKey!),
        });
    }

    /// <summary>The same, checking it was saved.</summary>
    public static async Task SetPayoutMethodAsync(this SignedInWebmaster me, string account = "13800138000", string kind = "Alipay",
        string holderName = "Li Ming", string bankName = "")
    {
        using var response = await me.SubmitPayoutMethodAsync(account, kind, holderName, bankName);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Setting the payout method failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<TestWebmaster> WebmasterAsync(AllianceApp app, string email)
    {
        await using var db = app.NewDb();
        var ids = await db.Webmasters.Where(w => w.User.Email == email).Select(w => new { w.Id, w.UserId }).SingleAsync();
        return new TestWebmaster(ids.Id, ids.UserId, 0, 0);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Tests.Infrastructure;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.WebmasterSites;

/// <summary>A webmaster of a test's own, signed in in <see cref="Browser"/>.</summary>
public sealed record SignedInWebmaster(BrowserSession Browser, long WebmasterId, long UserId) : IDisposable
{
    public void Dispose() => Browser.Dispose();
}

/// <summary>A site arranged straight in the database, with its zones.</summary>
public sealed record TestSite(long Id, IReadOnlyList<long> ZoneIds);

/// <summary>Arranging webmasters and sites for the sites, library and link tests, and reading their pages.</summary>
public static partial class WebmasterTesting
{
    public const string Password = "Webmaster!pass1";

    /// <summary>A new webmaster account, signed up through the form (so the test owns everything it sees).</summary>
    public static async Task<SignedInWebmaster> NewWebmasterAsync(this AllianceApp app, string? acceptLanguage = null)
    {
        var browser = new BrowserSession(app, acceptLanguage);
        var email = $"wm-{Guid.NewGuid():N}@example.test";
        await browser.SignUpAsync(email, Password, "Webmaster");
        await using var db = app.NewDb();
        var ids = await db.Webmasters.Where(w => w.User.Email == email).Select(w => new { w.Id, w.UserId }).SingleAsync();
        return new SignedInWebmaster(browser, ids.Id, ids.UserId);
    }

    /// <summary>A demo account signed in (webmaster1 or webmaster2 of seeds/accounts.json).</summary>
    public static async Task<SignedInWebmaster> DemoWebmasterAsync(this AllianceApp app, int number)
    {
        var browser = new BrowserSession(app);
        var email = $"webmaster{number}@taobaoalliance.local";
        await browser.SignInAsync(email, $"Webmaster{number}!demo");
        await using var db = app.NewDb();
        var ids = await db.Webmasters.Where(w => w.User.Email == email).Select(w => new { w.Id, w.UserId }).SingleAsync();
        return new SignedInWebmaster(browser, ids.Id, ids.UserId);
    }

    /// <summary>A site of the webmaster in the given state (as if an admin had decided), with named zones.</summary>
    public static async Task<TestSite> AddSiteAsync(this AllianceApp app, long webmasterId, SiteState state, params string[] zones)
    {
        await using var db = app.NewDb();
        var now = app.Clock.GetUtcNow();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var site = new Site
        {
            WebmasterId = webmasterId, Name = "Site " + tag, Url = $"https://{tag}.example.com/", CategoryId = 3, Description = "",
            VerificationToken = "ta-" + tag, VerifiedAt = now, State = state, CreatedAt = now,
        };
        foreach (var zone in zones) site.Zones.Add(new AdZone { Name = zone, CreatedAt = now });
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        return new TestSite(site.Id, [.. site.Zones.Select(z => z.Id)]);
    }

    /// <summary>The library's rows in the order shown.</summary>
    public static IReadOnlyList<long> ItemIds(string html) =>
        [.. RowPattern().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The form-level and field messages of a page (the _FormErrors alert and the field spans).</summary>
    public static string Messages(string html) => WebUtility.HtmlDecode(string.Join(" | ",
        MessagePattern().Matches(html).Select(m => TagPattern().Replace(m.Value, " ").Trim())));

    [GeneratedRegex("<li class=\"card mb-2 library-item\" data-item-id=\"(\\d+)\"")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<div class=\"alert alert-danger[^\"]*\"[^>]*>.*?</div>|<span class=\"text-danger small field-validation-error\"[^>]*>.*?</span>", RegexOptions.Singleline)]
    private static partial Regex MessagePattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}

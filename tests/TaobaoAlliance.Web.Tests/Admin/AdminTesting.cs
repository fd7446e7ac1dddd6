using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Application.Settings;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Web.Tests.Infrastructure;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Admin;

/// <summary>
/// The app with the two admin registrations Program.cs does not make yet (the platform-settings
/// configuration source and the cookie check that signs disabled accounts out), wired as Program.cs will.
/// </summary>
public sealed class AdminApp : AllianceApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureAppConfiguration(configuration => configuration.AddPlatformSettings(() => Database.ConnectionString));
        builder.ConfigureServices(services => services.AddAccountDisabling());
    }
}

/// <summary>Signing in as the demo admin, posting the admin pages' forms, and arranging sites to review.</summary>
public static partial class AdminTesting
{
    public const string AdminEmail = "admin@taobaoalliance.local";
    public const string AdminPassword = "Admin!2026demo";

    public static async Task<BrowserSession> AdminAsync(AllianceApp app)
    {
        var browser = new BrowserSession(app);
        await browser.SignInAsync(AdminEmail, AdminPassword);
        return browser;
    }

    /// <summary>Posts the form of <paramref name="pageUrl"/> that <paramref name="pick"/> chooses, with <paramref name="values"/> over its own.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this BrowserSession browser, string pageUrl, Func<BrowserSession.Form, bool> pick,
        IReadOnlyDictionary<string, string>? values = null)
    {
        var html = await browser.PageAsync(pageUrl);
        var form = BrowserSession.Forms(html).FirstOrDefault(pick)
            ?? throw new InvalidOperationException($"{pageUrl} has no such form; it has: " + string.Join(", ", BrowserSession.Forms(html).Select(f => f.Action)));
        var fields = new Dictionary<string, string>(form.Fields);
        foreach (var (name, value) in values ?? new Dictionary<string, string>()) fields[name] = value;
        return await browser.PostRawAsync(form.Action.Length == 0 ? pageUrl : form.Action, fields);
    }

    /// <summary>A form posting to <paramref name="handler"/> whose hidden <paramref name="field"/> is <paramref name="id"/>.</summary>
    public static Func<BrowserSession.Form, bool> Form(string handler, string field, long id) =>
        f => f.Action.Contains("handler=" + handler, StringComparison.Ordinal)
            && f.Fields.TryGetValue(field, out var value) && value == id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The page's form-level error messages (the _FormErrors alert), decoded.</summary>
    public static string FormErrors(string html) =>
        FormErrorsPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : "";

    [GeneratedRegex("<div class=\"alert alert-danger form-errors\" role=\"alert\">(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex FormErrorsPattern();

    /// <summary>A site of <paramref name="webmaster"/> in <paramref name="state"/>, registered <paramref name="age"/> ago.</summary>
    public static async Task<long> NewSiteAsync(AllianceApp app, TestWebmaster webmaster, string name, SiteState state = SiteState.Pending,
        TimeSpan? age = null, bool verified = true, int claimedDailyVisitors = 1200)
    {
        await using var db = app.NewDb();
        var now = app.Clock.GetUtcNow();
        var site = new Site
        {
            WebmasterId = webmaster.Id,
            Name = name,
            Url = "https://" + Guid.NewGuid().ToString("N")[..8] + ".example.com",
            CategoryId = 3,
            ClaimedDailyVisitors = claimedDailyVisitors,
            Description = "A site to review",
            VerificationToken = Guid.NewGuid().ToString("N"),
            VerifiedAt = verified ? now - (age ?? TimeSpan.Zero) : null,
            State = state,
            CreatedAt = now - (age ?? TimeSpan.Zero),
        };
        site.Reviews.Add(new SiteReview { ToState = SiteState.Pending, At = site.CreatedAt, Reason = "Registered" });
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        return site.Id;
    }

    public static async Task<Site> SiteAsync(AllianceApp app, long siteId)
    {
        await using var db = app.NewDb();
        return await db.Sites.AsNoTracking().Include(s => s.Reviews).SingleAsync(s => s.Id == siteId);
    }

    public static async Task<List<Data.Audit.AuditLogEntry>> AuditAsync(AllianceApp app, string entityType, long entityId)
    {
        await using var db = app.NewDb();
        var id = entityId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.AuditLog.AsNoTracking().Where(a => a.EntityType == entityType && a.EntityId == id).OrderBy(a => a.Id).ToListAsync();
    }

    public static async Task<long> AdminUserIdAsync(AllianceApp app)
    {
        await using var db = app.NewDb();
        return await db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).SingleAsync();
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Application.Settings;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

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


    /// <summary>A form posting to <paramref name="handler"/> whose hidden <paramref name="field"/> is <paramref name="id"/>.</summary>
    public static Func<BrowserSession.Form, bool> Form(string handler, string field, long id) =>
        f => f.Action.Contains("handler=" + handler, StringComparison.Ordinal)
            && f.Fields.TryGetValue(field, out var value) && value == id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A site of <paramref name="webmaster"/> in <paramref name="state"/>, registered <paramref name="age"/> ago.</summary>
    public static async Task<long> NewSiteAsync(AllianceApp app, TestWebmaster webmaster, string name, SiteState state = SiteState.Pending,
        TimeSpan? age = null, bool verified = true, int claimedDailyVisitors = 1200) =>
        (await app.AddSiteAsync(new SiteSpec(webmaster.Id, state, name, [], age ?? TimeSpan.Zero, verified, claimedDailyVisitors, Registered: true))).Id;

    public static async Task<Site> SiteAsync(AllianceApp app, long siteId)
    {
        await using var db = app.NewDb();
        return await db.Sites.AsNoTracking().Include(s => s.Reviews).SingleAsync(s => s.Id == siteId);
    }

    public static async Task<List<TaobaoAlliance.Data.Audit.AuditLogEntry>> AuditAsync(AllianceApp app, string entityType, long entityId)
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

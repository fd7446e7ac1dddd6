using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Web.Clicks;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>A link made for one test, on a site of its own, so no other test's clicks count against it.</summary>
public sealed record TestLink(long LinkId, string Code, long WebmasterId, long SiteId, long ZoneId, long ItemId)
{
    public string Pid => $"mm_{WebmasterId}_{SiteId}_{ZoneId}";
}

/// <summary>Arranging links and reading clicks back, for the click tests.</summary>
public static class ClickTesting
{
    public const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>A browser that does not follow redirects, so the test sees the 302.</summary>
    public static HttpClient Shopper(this AllianceApp app)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Chrome);
        return client;
    }

    /// <summary>A new site of webmaster1 (in the given state) with one zone and one link to the item.</summary>
    public static async Task<TestLink> NewLinkAsync(this AllianceApp app, long itemId = 14, SiteState state = SiteState.Approved,
        bool paused = false, string webmaster = "webmaster1")
    {
        await using var db = app.NewDb();
        var webmasterId = await db.Webmasters.Where(w => w.User.Email == webmaster + "@taobaoalliance.local").Select(w => w.Id).SingleAsync();
        var site = await app.AddSiteAsync(new SiteSpec(webmasterId, state, Name: "Test site", Zones: ["Sidebar"]));
        var link = new Link
        {
            Code = "t" + Guid.NewGuid().ToString("N")[..11], WebmasterId = webmasterId, SiteId = site.Id, ZoneId = site.ZoneIds[0],
            ItemId = itemId, IsPaused = paused, CreatedAt = app.Clock.GetUtcNow(),
        };
        db.Links.Add(link);
        await db.SaveChangesAsync();
        return new TestLink(link.Id, link.Code, webmasterId, site.Id, link.ZoneId, itemId);
    }

    /// <summary>
    /// Waits until every change the test committed to the database has reached the app's in-memory click
    /// targets: a NOTIFY sent now is delivered after theirs, so once the app has dropped its targets for it,
    /// it has for them too.
    /// </summary>
    public static async Task ClickTargetsCaughtUpAsync(this AllianceApp app)
    {
        var targets = app.Services.GetRequiredService<ClickTargets>();
        if (!targets.IsListening) return; // nothing is kept while not listening
        var barrier = "test-" + Guid.NewGuid().ToString("N");
        await using (var db = app.NewDb()) await db.Database.ExecuteSqlAsync($"SELECT pg_notify('click_targets', {barrier})");
        for (var i = 0; i < 400 && targets.LastHeard != barrier; i++) await Task.Delay(25);
        targets.LastHeard.Should().Be(barrier, "the app hears the database's notifications");
    }

    /// <summary>The click id a redirect carries in <c>alliance_click</c>.</summary>
    public static Guid ClickId(this HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        var query = QueryHelpers.ParseQuery(location[location.IndexOf('?', StringComparison.Ordinal)..]);
        return Guid.Parse(query["alliance_click"].Single()!);
    }

    public static async Task<Click> ClickAsync(this AllianceApp app, Guid id)
    {
        await using var db = app.NewDb();
        return await db.Clicks.AsNoTracking().WithId(id).SingleAsync();
    }

    public static async Task<List<Click>> ClicksOnSiteAsync(this AllianceApp app, long siteId)
    {
        await using var db = app.NewDb();
        return await db.Clicks.AsNoTracking().Where(c => c.SiteId == siteId).OrderBy(c => c.Id).ToListAsync();
    }

    public static async Task<int> ClickCountAsync(this AllianceApp app)
    {
        await using var db = app.NewDb();
        return await db.Clicks.CountAsync();
    }

    /// <summary>A request from a given client address, which HttpClient cannot set, through the whole pipeline.</summary>
    public static Task<HttpContext> GetFromAsync(this AllianceApp app, string pathAndQuery, string ip, string userAgent = Chrome) =>
        app.Server.SendAsync(context =>
        {
            var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = question < 0 ? pathAndQuery : pathAndQuery[..question];
            context.Request.QueryString = question < 0 ? QueryString.Empty : new QueryString(pathAndQuery[question..]);
            context.Request.Headers.UserAgent = userAgent;
            context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        });

    /// <summary>The hash the spec asks for, computed here independently: SHA-256 of salt followed by address.</summary>
    public static byte[] ExpectedIpHash(this AllianceApp app, string address)
    {
        var salt = app.Services.GetRequiredService<IOptions<ClickOptions>>().Value.IpHashSalt;
        return SHA256.HashData(Encoding.UTF8.GetBytes(salt + address));
    }
}

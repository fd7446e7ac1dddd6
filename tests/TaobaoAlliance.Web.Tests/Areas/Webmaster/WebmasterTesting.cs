using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Library;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster;

/// <summary>A site arranged straight in the database, with its zones.</summary>
public sealed record TestSite(long Id, IReadOnlyList<long> ZoneIds);

/// <summary>Arranging webmasters and sites for the sites, library and link tests, and reading their pages.</summary>
public static partial class WebmasterTesting
{


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

    [GeneratedRegex("<li class=\"card mb-2 library-item\" data-item-id=\"(\\d+)\"")]
    private static partial Regex RowPattern();
}

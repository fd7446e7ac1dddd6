using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Balance;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;

/// <summary>A report table as the page shows it: header cells, body rows and the total row, as text.</summary>
public sealed record PageTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<string> Total)
{
    public IReadOnlyList<string> Row(string label) => Rows.Single(r => r[0] == label);
}

/// <summary>Arranging webmasters, sites and days for the report tests, and reading pages and files back.</summary>
public static partial class ReportTesting
{



    /// <summary>Records what the CPC auction will record for a click on a smart-zone ad: a campaign charge with the webmaster's share.</summary>
    public static async Task CpcChargeAsync(this AllianceApp app, TestWebmaster webmaster, Guid clickId, long shopId, long shareFen, DateTimeOffset at)
    {
        await using var db = app.NewDb();
        var campaign = new Campaign
        {
            ShopId = shopId, Name = "Test campaign", BidFen = 100, DailyBudgetFen = 10_000, State = CampaignState.Active,
            StartsAt = at.AddDays(-1), CreatedAt = at.AddDays(-1),
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        db.CpcCharges.Add(new CpcCharge
        {
            CampaignId = campaign.Id, ClickId = clickId, ImpressionId = Guid.NewGuid(), ZoneId = webmaster.ZoneId, WebmasterId = webmaster.Id,
            PriceFen = shareFen * 2, WebmasterShareFen = shareFen, PlatformMarginFen = shareFen, Day = ChinaDay(at), ChargedAt = at,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>The China calendar day (UTC+8) of a moment, worked out here rather than with the app's helper.</summary>
    public static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime.AddHours(8));

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A moment on the China day <paramref name="daysAgo"/> days before today: noon for past days, and for
    /// today halfway between midnight and now, so it is today and already past whatever the clock says.
    /// </summary>
    public static DateTimeOffset DaysAgo(this AllianceApp app, int daysAgo, int minutes = 0)
    {
        var now = app.Clock.GetUtcNow();
        var midnight = new DateTimeOffset(ChinaDay(now).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();
        var at = daysAgo == 0 ? midnight + ((now - midnight) / 2) : midnight.AddDays(-daysAgo).AddHours(12);
        return at.AddMinutes(minutes);
    }

    /// <summary>The value a dashboard window shows for one metric (e.g. window "today", metric "valid-clicks").</summary>
    public static string DashboardMetric(string html, string window, string metric)
    {
        var section = Regex.Match(html, $"<section[^>]*id=\"window-{window}\".*?</section>", RegexOptions.Singleline);
        section.Success.Should().BeTrue($"the dashboard has a {window} window");
        var value = Regex.Match(section.Value, $"data-metric=\"{metric}\">([^<]*)<");
        value.Success.Should().BeTrue($"the {window} window shows {metric}");
        return WebUtility.HtmlDecode(value.Groups[1].Value).Trim();
    }

    /// <summary>The value shown for one balance (data-balance="available", …).</summary>
    public static string Balance(string html, string balance) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"data-balance=\"{balance}\">([^<]*)<").Groups[1].Value).Trim();

    /// <summary>The report table of a page, or null when the page has none.</summary>
    public static PageTable? ReportTable(string html)
    {
        var table = Regex.Match(html, "<table[^>]*id=\"report-table\".*?</table>", RegexOptions.Singleline);
        if (!table.Success) return null;
        List<string> Cells(string row) =>
            [.. Regex.Matches(row, "<t[hd]\\b[^>]*>(.*?)</t[hd]>", RegexOptions.Singleline).Select(m => CellText(m.Groups[1].Value))];
        var rows = Regex.Matches(table.Value, "<tr\\b[^>]*>(.*?)</tr>", RegexOptions.Singleline).Select(m => Cells(m.Groups[1].Value)).ToList();
        return new(rows[0], rows.Skip(1).Take(rows.Count - 2).ToList(), rows[^1]);
    }

    /// <summary>A CSV file's rows (RFC 4180: quoted fields with doubled quotes, CRLF line ends).</summary>
    public static List<List<string>> ParseCsv(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }

    private static string CellText(string html) => WebUtility.HtmlDecode(TagPattern().Replace(html, "")).Trim();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}

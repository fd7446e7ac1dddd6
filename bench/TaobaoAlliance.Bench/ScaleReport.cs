using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace TaobaoAlliance.Bench;

/// <summary>One signed-in page timed at scale, with its p95 goal from issue 11 (absolute: a latency goal has no bare twin).</summary>
internal sealed record ScalePage(string Name, string Account, string Path, double GoalP95Ms);

/// <summary>
/// ./build.sh bench --scale, after bench/generate.sql: signs in as the demo users (the form, as a browser
/// does) and times their report pages with wrk — one connection, so each GET is a user waiting — then
/// replaces the "Reports at scale" section of the report.
/// </summary>
internal static partial class ScaleReport
{
    private static readonly Dictionary<string, string> Passwords = new(StringComparer.Ordinal)
    {
        ["webmaster1@taobaoalliance.local"] = "Webmaster1!demo",
        ["seller1@taobaoalliance.local"] = "Seller1!demo",
        ["admin@taobaoalliance.local"] = "Admin!2026demo",
    };

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<int> RunAsync(Options options)
    {
        var app = options.Required("app").TrimEnd('/');
        var seconds = options.Number("seconds", 10);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)); // the reports' days are China days
        var from = today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        ScalePage[] pages =
        [
            new("Webmaster dashboard", "webmaster1@taobaoalliance.local", "/Webmaster", 100),
            new("Webmaster report, 30 days by day", "webmaster1@taobaoalliance.local", $"/Webmaster/Reports?from={from}&to={to}", 100),
            new("Item library, search 手机", "webmaster1@taobaoalliance.local", "/Webmaster/Library?q=" + Uri.EscapeDataString("手机"), 50),
            new("Seller report, 30 days", "seller1@taobaoalliance.local", "/Seller/Reports?days=30", 150),
            new("Admin dashboard", "admin@taobaoalliance.local", "/Admin", 200),
            new("Admin fraud page", "admin@taobaoalliance.local", "/Admin/Fraud", 200),
            new("Admin traffic economics, 30 days by site", "admin@taobaoalliance.local", $"/Admin/Economics?from={from}&to={to}&group=site", 200),
            new("Admin traffic economics, 30 days by day", "admin@taobaoalliance.local", $"/Admin/Economics?from={from}&to={to}&group=day", 200),
        ];

        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var account in pages.Select(p => p.Account).Distinct()) cookies[account] = await SignInAsync(app, account);

        await using var log = File.CreateText(Path.Combine(options.Get("work", Path.GetTempPath()), "wrk-scale.log"));
        var results = new List<(ScalePage Page, WrkResult Result)>();
        foreach (var page in pages)
        {
            var spec = new WrkSpec(app + page.Path, 1, seconds, [], ["Cookie: " + cookies[page.Account]]);
            await Wrk.RunAsync(spec with { Seconds = Math.Min(2, seconds) }, options.Required("script"), log); // warm-up
            var result = await Wrk.RunAsync(spec, options.Required("script"), log);
            Console.WriteLine($"  {page.Name,-36} {Report.Describe(result)}");
            results.Add((page, result));
        }

        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        md.AppendLine(Report.ScaleHeading);
        md.AppendLine();
        Line($"Data: {options.Get("generated", "bench/generate.sql")}. Each page: signed in through the sign-in form, then `wrk -t1 -c1 -d{seconds}s` (one user waiting for each page in turn) after a 2 s warm-up; p95 in absolute ms against the goal (a latency goal: no bare twin).");
        md.AppendLine();
        Line($"| Page | GET | requests | p50 ms | p95 ms | p99 ms | goal p95 | not 200 |");
        Line($"|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (page, r) in results)
        {
            Line($"| {page.Name} | `{page.Path}` | {r.Requests} | {r.P50Ms:0.0} | **{r.P95Ms:0.0}** | {r.P99Ms:0.0} | ≤ {page.GoalP95Ms:0} ms | {r.Unexpected(200)} |");
        }
        md.AppendLine();

        await Report.ReplaceSectionAsync(options.Required("out"), Report.ScaleHeading, md);
        return results.Any(r => r.Result.Unexpected(200) > 0) ? 1 : 0;
    }

    /// <summary>Signs in through the form (antiforgery token and cookie included) and returns the Cookie header to send.</summary>
    private static async Task<string> SignInAsync(string app, string email)
    {
        var jar = new CookieContainer();
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(app) };
        var form = await http.GetStringAsync("/Account/SignIn");
        var token = AntiforgeryField().Match(form) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("no antiforgery token on /Account/SignIn");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Passwords[email],
            ["__RequestVerificationToken"] = token,
        });
        using var response = await http.PostAsync("/Account/SignIn", body);
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"signing in as {email} answered {(int)response.StatusCode}");
        return jar.GetCookieHeader(new Uri(app));
    }
}

using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Web.Reports;

/// <summary>
/// The 30-day chart as an inline SVG drawn on the server: valid clicks as bars (left scale) and
/// estimated commission as a line with one point per day (right scale). No script, no CDN, nothing for
/// the CSP to refuse (colours come from site.css classes). Screen readers get it as one image with a
/// title and a description that says what the chart shows in words.
/// Colours are presentation attributes, so the chart reads right even without the style sheet; each
/// has at least 5:1 contrast on white (WCAG asks 3:1 for graphics), and the line has a white halo so it
/// stays visible where it crosses a bar. Bars and line differ in shape, not only in colour.
/// </summary>
public static class DailyChart
{
    public const string BarColour = "#2a6fb8", LineColour = "#c43d00", InkColour = "#495057", GridColour = "#dee2e6";

    private const double Width = 720, Height = 300;
    private const double Left = 52, Right = 76, Top = 18, Bottom = 40;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
    private const int Intervals = 4;

    /// <summary>The chart of <paramref name="days"/> (one row per day, oldest first); <paramref name="id"/> must be unique on the page.</summary>
    public static IHtmlContent Render(IReadOnlyList<ReportRow> days, IStringLocalizer localizer, string id = "chart-30-days")
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return Render([.. days.Select(d => new ChartDay(d.Day, d.Metrics.ValidClicks, d.Metrics.EstimatedCommission))], new ChartText(
            localizer["Valid clicks and estimated commission, last 30 days"],
            (date, clicks) => localizer["{0}: {1} valid clicks", date, clicks],
            (date, money) => localizer["{0}: {1} estimated commission", date, money],
            Describe(days, localizer)), id);
    }

    /// <summary>
    /// Any count per day as bars and any amount per day as the line (one <see cref="ChartDay"/> per day, oldest first),
    /// with the words of <paramref name="text"/>; the amount may be negative only down to zero on the scale.
    /// </summary>
    public static IHtmlContent Render(IReadOnlyList<ChartDay> days, ChartText text, string id)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(text);
        var clicksStep = NiceStep(days.Count == 0 ? 0 : days.Max(d => d.Count));
        var fenStep = NiceStep(days.Count == 0 ? 0 : days.Max(d => d.Amount.Fen));
        double clicksTop = clicksStep * Intervals, fenTop = fenStep * Intervals;
        var slot = days.Count == 0 ? PlotWidth : PlotWidth / days.Count;
        double Baseline() => Top + PlotHeight;
        double Y(double value, double top) => Top + PlotHeight - value / top * PlotHeight;
        double Center(int i) => Left + (i * slot) + (slot / 2);

        var svg = new XElement("svg",
            new XAttribute("class", "report-chart"),
            new XAttribute("viewBox", $"0 0 {N(Width)} {N(Height)}"),
            new XAttribute("role", "img"),
            new XAttribute("aria-labelledby", $"{id}-title {id}-desc"),
            new XAttribute("id", id),
            new XAttribute("font-family", "system-ui, sans-serif"),
            new XAttribute("font-size", "12"),
            new XElement("title", new XAttribute("id", $"{id}-title"), text.Title),
            new XElement("desc", new XAttribute("id", $"{id}-desc"), text.Description));

        var grid = new XElement("g", new XAttribute("class", "chart-grid"), new XAttribute("stroke", GridColour));
        var leftAxis = new XElement("g", new XAttribute("class", "chart-axis chart-axis-clicks"), new XAttribute("text-anchor", "end"),
            new XAttribute("fill", InkColour));
        var rightAxis = new XElement("g", new XAttribute("class", "chart-axis chart-axis-commission"), new XAttribute("text-anchor", "start"),
            new XAttribute("fill", InkColour));
        for (var i = 0; i <= Intervals; i++)
        {
            var y = Y(i * clicksStep, clicksTop);
            grid.Add(new XElement("line", A("x1", Left), A("x2", Left + PlotWidth), A("y1", y), A("y2", y)));
            leftAxis.Add(new XElement("text", A("x", Left - 8), A("y", y + 4),
                (i * clicksStep).ToString("#,0", CultureInfo.InvariantCulture)));
            rightAxis.Add(new XElement("text", A("x", Left + PlotWidth + 8), A("y", y + 4), new Money(i * fenStep).ToString()));
        }
        svg.Add(grid, leftAxis, rightAxis);

        var bars = new XElement("g", new XAttribute("class", "chart-bars"), new XAttribute("fill", BarColour));
        var points = new XElement("g", new XAttribute("class", "chart-points"), new XAttribute("fill", LineColour),
            new XAttribute("stroke", "#fff"), new XAttribute("stroke-width", "1.5"));
        var xLabels = new XElement("g", new XAttribute("class", "chart-axis chart-axis-days"), new XAttribute("text-anchor", "middle"),
            new XAttribute("fill", InkColour));
        var line = new List<string>();
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var date = day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var clicks = day.Count;
            var barWidth = slot * 0.6;
            var barTop = Y(clicks, clicksTop);
            bars.Add(new XElement("rect", new XAttribute("class", "chart-bar"), new XAttribute("data-day", date),
                A("x", Center(i) - (barWidth / 2)), A("y", barTop), A("width", barWidth), A("height", Baseline() - barTop),
                new XElement("title", text.BarTitle(date, clicks))));

            var commission = day.Amount;
            var pointY = Y(Math.Max(0, commission.Fen), fenTop);
            line.Add($"{N(Center(i))},{N(pointY)}");
            points.Add(new XElement("circle", new XAttribute("class", "chart-point"), new XAttribute("data-day", date),
                new XAttribute("data-fen", commission.Fen.ToString(CultureInfo.InvariantCulture)),
                A("cx", Center(i)), A("cy", pointY), A("r", 3.5),
                new XElement("title", text.PointTitle(date, commission))));

            // A date under every fifth day and the last, counted back from today so today is always labelled.
            if ((days.Count - 1 - i) % 5 == 0)
            {
                xLabels.Add(new XElement("text", A("x", Center(i)), A("y", Height - Bottom + 18),
                    day.Day.ToString("MM-dd", CultureInfo.InvariantCulture)));
            }
        }
        var polyline = string.Join(' ', line);
        svg.Add(bars,
            new XElement("polyline", new XAttribute("class", "chart-line-halo"), new XAttribute("points", polyline),
                new XAttribute("fill", "none"), new XAttribute("stroke", "#fff"), new XAttribute("stroke-width", "5"), new XAttribute("stroke-linejoin", "round")),
            new XElement("polyline", new XAttribute("class", "chart-line"), new XAttribute("points", polyline),
                new XAttribute("fill", "none"), new XAttribute("stroke", LineColour), new XAttribute("stroke-width", "2.5"), new XAttribute("stroke-linejoin", "round")),
            points, xLabels,
            new XElement("line", new XAttribute("class", "chart-baseline"), new XAttribute("stroke", InkColour),
                A("x1", Left), A("x2", Left + PlotWidth), A("y1", Baseline()), A("y2", Baseline())));
        return new HtmlString(svg.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>The chart in words, for people who cannot see it.</summary>
    private static string Describe(IReadOnlyList<ReportRow> days, IStringLocalizer localizer)
    {
        if (days.Count == 0) return localizer["No data."];
        var from = days[0].Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = days[^1].Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var clicks = days.Sum(d => d.Metrics.ValidClicks);
        var commission = new Money(days.Sum(d => d.Metrics.EstimatedCommission.Fen));
        if (clicks == 0 && commission == Money.Zero) return localizer["From {0} to {1}: no valid clicks and no commission yet.", from, to];
        var busiest = days.OrderByDescending(d => d.Metrics.ValidClicks).ThenByDescending(d => d.Key).First();
        return localizer["From {0} to {1}: {2} valid clicks and {3} estimated commission in all. Most clicks on {4}: {5}.",
            from, to, clicks, commission, busiest.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), busiest.Metrics.ValidClicks];
    }

    /// <summary>One day of a chart: the bar's count and the line's amount.</summary>
    public sealed record ChartDay(DateOnly Day, long Count, Money Amount);

    /// <summary>What a chart says: its title, each bar's and point's tooltip, and the whole chart in words.</summary>
    public sealed record ChartText(string Title, Func<string, long, string> BarTitle, Func<string, Money, string> PointTitle, string Description);

    /// <summary>A round step (1, 2, 2.5 or 5 × a power of ten, whole units) so four steps reach at least <paramref name="max"/>.</summary>
    internal static long NiceStep(long max)
    {
        if (max <= 0) return 1;
        var raw = (double)max / Intervals;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalised = raw / magnitude;
        var nice = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 2.5 ? 2.5 : normalised <= 5 ? 5 : 10;
        // Rounded first: 5 × 0.1 must not come out as 0.5000000001 and ceil to the next unit.
        return Math.Max(1, (long)Math.Ceiling(Math.Round(nice * magnitude, 6)));
    }

    private static XAttribute A(string name, double value) => new(name, N(value));

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}

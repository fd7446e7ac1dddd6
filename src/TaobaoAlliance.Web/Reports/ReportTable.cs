using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Web.Reports;

/// <summary>
/// One cell of a report as the page shows it (<see cref="Text"/>) and as the CSV file holds it
/// (<see cref="Csv"/>: money in yuan with two decimals and no ¥, so a spreadsheet reads it as a number).
/// </summary>
public readonly record struct ReportCell(string Text, string Csv, bool IsNumber)
{
    public static ReportCell Label(string text) => new(text, text, false);

    public static ReportCell Count(long value) =>
        new(value.ToString("#,0", CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture), true);

    public static ReportCell Amount(Money? money) => money is { } m
        ? new(m.ToString(), m.Yuan.ToString("0.00", CultureInfo.InvariantCulture), true)
        : NotApplicable;

    public static ReportCell Percent(decimal? ratio) => ratio is { } r
        ? Both((r * 100m).ToString("0.00", CultureInfo.InvariantCulture) + "%")
        : NotApplicable;

    /// <summary>A rate or EPC without any valid click to divide by: a dash on the page, an empty cell in the file.</summary>
    public static readonly ReportCell NotApplicable = new("—", "", true);

    private static ReportCell Both(string text) => new(text, text, true);
}

/// <summary>
/// A report as a table: the header row, one row per day, site, zone or item, and the total. The page
/// and the CSV export are both written from this, so the file has exactly the table's rows and columns.
/// </summary>
public sealed record ReportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<ReportCell>> Rows, IReadOnlyList<ReportCell> Total)
{
    public static ReportTable From(ReportGrouping grouping, IReadOnlyList<ReportRow> rows, IStringLocalizer localizer)
    {
        string first = grouping switch
        {
            ReportGrouping.Day => localizer["Day"],
            ReportGrouping.Site => localizer["Site"],
            ReportGrouping.Zone => localizer["Zone"],
            ReportGrouping.Sub1 => localizer["Sub-id (sub1)"],
            _ => localizer["Item"],
        };
        IReadOnlyList<string> headers =
        [
            first, localizer["Valid clicks"], localizer["Invalid clicks"], localizer["Orders"], localizer["GMV"],
            localizer["Conversion rate"], localizer["EPC"], localizer["Estimated commission"], localizer["Settled commission"],
            localizer["CPC earnings"],
        ];
        return new(headers,
            [.. rows.Select(r => Cells(ReportCell.Label(r.Label), r.Metrics))],
            Cells(ReportCell.Label(localizer["Total"]), ReportMetrics.Sum(rows.Select(r => r.Metrics))));
    }

    private static IReadOnlyList<ReportCell> Cells(ReportCell label, ReportMetrics m) =>
    [
        label,
        ReportCell.Count(m.ValidClicks),
        ReportCell.Count(m.InvalidClicks),
        ReportCell.Count(m.Orders),
        ReportCell.Amount(m.Gmv),
        ReportCell.Percent(m.ConversionRate),
        ReportCell.Amount(m.Epc),
        ReportCell.Amount(m.EstimatedCommission),
        ReportCell.Amount(m.SettledCommission),
        ReportCell.Amount(m.CpcEarnings),
    ];

    /// <summary>
    /// The table as CSV (RFC 4180, CRLF line ends) in UTF-8 with a byte-order mark, which is what makes
    /// Excel read the Chinese names right. The total is the last row, as on the page.
    /// </summary>
    public byte[] ToCsv()
    {
        var csv = new StringBuilder();
        AppendLine(csv, Headers.Select(ReportCell.Label));
        foreach (var row in Rows) AppendLine(csv, row);
        AppendLine(csv, Total);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static void AppendLine(StringBuilder csv, IEnumerable<ReportCell> cells)
    {
        csv.AppendJoin(',', cells.Select(Field));
        csv.Append("\r\n");
    }

    private static string Field(ReportCell cell)
    {
        var value = cell.Csv;
        // Names are typed by users: one starting like a formula would run as one in a spreadsheet
        // (CSV injection), so it is made text with a leading apostrophe. Numbers are ours and stay numbers.
        if (!cell.IsNumber && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value != value.Trim()
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}

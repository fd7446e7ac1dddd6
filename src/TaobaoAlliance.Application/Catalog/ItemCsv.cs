using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>One good line of an item CSV, ready to become an item. Line is the file's line number (header = 1).</summary>
public sealed record ItemCsvRow(int Line, string TitleZh, string TitleEn, int CategoryId, long PriceFen, int? RateBp, string ImageUrl);

/// <summary>Why a line was refused: an English resource key and its arguments, localized by the page.</summary>
public sealed record ItemCsvProblem(string Message, IReadOnlyList<object> Arguments)
{
    public ItemCsvProblem(string message) : this(message, []) { }
}

/// <summary>A refused line with every reason it was refused for (line 1 is the header, or the file as a whole).</summary>
public sealed record ItemCsvError(int Line, IReadOnlyList<ItemCsvProblem> Problems);

/// <summary>What a file held: the rows when every one is good, otherwise every bad line.</summary>
public sealed record ItemCsvResult(IReadOnlyList<ItemCsvRow> Rows, IReadOnlyList<ItemCsvError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>An item as the export writes it (category by slug, as the import reads it).</summary>
public sealed record ItemCsvExportRow(string TitleZh, string TitleEn, string CategorySlug, long PriceFen, int? RateBp, string ImageUrl);

/// <summary>
/// The item CSV of the seller centre: UTF-8, comma-separated, a header naming the columns
/// <c>title_zh,title_en,category,price_yuan,commission_rate_percent,image_url</c> in any order, the
/// category given by its slug (as in seeds/categories.csv, e.g. <c>digital-phones</c>), the price in yuan
/// with at most two decimals, the rate in percent (0–90, at most two decimals; blank = the shop's
/// general rate), the image optional (http(s) or a site path; blank = the category's picture).
/// Reading checks every line before anything is imported, so the seller sees all mistakes at once.
/// The export writes the same format, so an export can be imported again.
/// </summary>
public static class ItemCsv
{
    public const string TitleZh = "title_zh";
    public const string TitleEn = "title_en";
    public const string Category = "category";
    public const string PriceYuan = "price_yuan";
    public const string RatePercent = "commission_rate_percent";
    public const string ImageUrl = "image_url";

    public static readonly IReadOnlyList<string> Columns = [TitleZh, TitleEn, Category, PriceYuan, RatePercent, ImageUrl];

    /// <summary>More rows than a seller types by hand, few enough for one request to insert in a moment.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Characters that make a spreadsheet read a cell as a formula (CSV injection); the export quotes them with a leading apostrophe.</summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    private static CsvConfiguration Configuration(Action<BadDataFoundArgs>? badData = null) => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        // Blank lines come back as records so that line numbers stay those of the file; they are skipped below.
        IgnoreBlankLines = false,
        BadDataFound = badData is null ? null : args => badData(args),
        MissingFieldFound = null,
        DetectColumnCountChanges = false,
    };

    /// <summary>
    /// Reads and checks a whole file. <paramref name="categoryIdsBySlug"/> maps a category slug to its id
    /// (compared case-insensitively). Never throws on bad input: every problem is a line of the result.
    /// </summary>
    public static ItemCsvResult Read(Stream stream, IReadOnlyDictionary<string, int> categoryIdsBySlug)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(categoryIdsBySlug);
        var categories = new Dictionary<string, int>(categoryIdsBySlug, StringComparer.OrdinalIgnoreCase);
        var rows = new List<ItemCsvRow>();
        var errors = new List<ItemCsvError>();
        var badLine = false;
        // Strict UTF-8: a file saved by Excel as ANSI/GBK must be refused with a hint, not imported as mojibake.
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, Configuration(_ => badLine = true));
        var previousLine = 0;
        try
        {
            if (!parser.Read())
            {
                return new([], [new(1, [new("The file is empty: the first line must be the header {0}.", [string.Join(",", Columns)])])]);
            }
            var header = ReadHeader(parser.Record ?? [], out var headerProblems);
            if (badLine) headerProblems.Add(new("The line has a stray quote (\")."));
            if (headerProblems.Count > 0) return new([], [new(1, headerProblems)]);
            previousLine = parser.RawRow;

            while (parser.Read())
            {
                var line = previousLine + 1;
                previousLine = parser.RawRow;
                var record = parser.Record ?? [];
                var wasBad = badLine;
                badLine = false;
                if (record.All(string.IsNullOrWhiteSpace) && !wasBad) continue;
                if (rows.Count + errors.Count >= MaxRows)
                {
                    errors.Add(new(line, [new("A file can hold at most {0} items; split it into several files.", [MaxRows])]));
                    break;
                }
                var problems = new List<ItemCsvProblem>();
                if (wasBad) problems.Add(new("The line has a stray quote (\")."));
                if (record.Length != header.Count)
                {
                    problems.Add(new("The line has {0} columns; the header has {1}.", [record.Length, header.Count]));
                    errors.Add(new(line, problems));
                    continue;
                }
                if (record.Any(field => field.Contains('\0', StringComparison.Ordinal)))
                {
                    // PostgreSQL text cannot hold NUL, and no title or address needs one: refused as the line's own mistake.
                    problems.Add(new("The line contains a NUL character (\\0), which no field may hold."));
                    errors.Add(new(line, problems));
                    continue;
                }
                var row = ReadRow(line, name => record[header[name]], categories, problems);
                if (problems.Count > 0) errors.Add(new(line, problems));
                else rows.Add(row!);
            }
        }
        catch (Exception e) when (e is DecoderFallbackException || e.InnerException is DecoderFallbackException)
        {
            errors.Add(new(previousLine + 1, [new("The file is not UTF-8 text. In Excel choose “Save as” → “CSV UTF-8 (comma delimited)”.")]));
        }
        catch (CsvHelperException)
        {
            errors.Add(new(previousLine + 1, [new("The file is not a CSV file the importer can read.")]));
        }

        if (errors.Count == 0 && rows.Count == 0)
        {
            errors.Add(new(1, [new("The file has a header but no items.")]));
        }
        return errors.Count > 0 ? new([], errors) : new(rows, []);
    }

    private static Dictionary<string, int> ReadHeader(string[] record, out List<ItemCsvProblem> problems)
    {
        problems = [];
        var header = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < record.Length; i++)
        {
            var text = record[i].Trim();
            if (text.Length == 0 && i == record.Length - 1) continue; // a trailing comma some editors add
            var name = Columns.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                problems.Add(new("Unknown column “{0}”. The columns are: {1}.", [record[i].Trim(), string.Join(",", Columns)]));
            }
            else if (!header.TryAdd(name, i))
            {
                problems.Add(new("The column “{0}” appears twice.", [name]));
            }
        }
        foreach (var missing in Columns.Where(c => !header.ContainsKey(c)))
        {
            problems.Add(new("The header has no column “{0}”.", [missing]));
        }
        // A trailing empty header cell still counts as a column of the lines below it.
        if (problems.Count == 0 && record.Length > header.Count) header[""] = record.Length - 1;
        return header;
    }

    private static ItemCsvRow? ReadRow(int line, Func<string, string> field, Dictionary<string, int> categories, List<ItemCsvProblem> problems)
    {
        var titleZh = Unquote(field(TitleZh).Trim());
        var titleEn = Unquote(field(TitleEn).Trim());
        var categoryText = field(Category).Trim();
        var priceText = field(PriceYuan).Trim();
        var rateText = field(RatePercent).Trim();
        var imageUrl = field(ImageUrl).Trim();

        if (titleZh.Length == 0) problems.Add(new("{0} is required.", [TitleZh]));
        else if (titleZh.Length > CatalogRules.TitleZhMaxLength) problems.Add(new("{0} can be at most {1} characters.", [TitleZh, CatalogRules.TitleZhMaxLength]));
        if (titleEn.Length == 0) problems.Add(new("{0} is required.", [TitleEn]));
        else if (titleEn.Length > CatalogRules.TitleEnMaxLength) problems.Add(new("{0} can be at most {1} characters.", [TitleEn, CatalogRules.TitleEnMaxLength]));

        var categoryId = 0;
        if (categoryText.Length == 0) problems.Add(new("{0} is required.", [Category]));
        else if (!categories.TryGetValue(categoryText, out categoryId)) problems.Add(new("There is no category “{0}”.", [categoryText]));

        long priceFen = 0;
        if (priceText.Length == 0) problems.Add(new("{0} is required.", [PriceYuan]));
        else if (!decimal.TryParse(priceText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var yuan))
        {
            problems.Add(new("{0} “{1}” is not a number (write it like 12.30).", [PriceYuan, priceText]));
        }
        else if (yuan < 0) problems.Add(new("The price must not be negative.", []));
        else if (!CatalogRules.IsValidPriceYuan(yuan)) problems.Add(new("The price must be at most ¥{0} with at most two decimals.", [CatalogRules.MaxPriceYuan.ToString("#,0", CultureInfo.InvariantCulture)]));
        else priceFen = (long)(yuan * 100m);

        int? rateBp = null;
        if (rateText.Length > 0)
        {
            if (!decimal.TryParse(rateText.TrimEnd('%').TrimEnd(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
            {
                problems.Add(new("{0} “{1}” is not a number (write it like 5.5, or leave it blank for the shop rate).", [RatePercent, rateText]));
            }
            else if (!CatalogRules.IsValidRatePercent(percent)) problems.Add(new("The commission rate must be between 0 and 90 % with at most two decimals.", []));
            else rateBp = (int)(percent * 100m);
        }

        if (imageUrl.Length > 0 && !CatalogRules.IsValidImageUrl(imageUrl))
        {
            problems.Add(new("The image address must start with http://, https:// or / (at most {0} characters).", [CatalogRules.ImageUrlMaxLength]));
        }
        return problems.Count > 0 ? null : new ItemCsvRow(line, titleZh, titleEn, categoryId, priceFen, rateBp, imageUrl);
    }

    /// <summary>Writes the header and the items (UTF-8 with a BOM, so Excel opens Chinese correctly; CRLF as RFC 4180 says).</summary>
    public static async Task WriteAsync(Stream stream, IAsyncEnumerable<ItemCsvExportRow> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(items);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, Configuration());
        foreach (var column in Columns) csv.WriteField(column);
        await csv.NextRecordAsync();
        await foreach (var item in items.WithCancellation(ct))
        {
            csv.WriteField(Quote(item.TitleZh));
            csv.WriteField(Quote(item.TitleEn));
            csv.WriteField(item.CategorySlug);
            csv.WriteField(CatalogRules.YuanText(item.PriceFen));
            csv.WriteField(item.RateBp is { } bp ? CatalogRules.PercentText(bp) : "");
            csv.WriteField(item.ImageUrl);
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    /// <summary>A template a seller fills in: the header and two example items.</summary>
    public static async Task WriteTemplateAsync(Stream stream, CancellationToken ct = default)
    {
        static async IAsyncEnumerable<ItemCsvExportRow> Examples()
        {
            yield return new("无线蓝牙耳机 降噪长续航 白色", "Wireless Bluetooth Earbuds, Noise Cancelling, Long Battery, White", "digital-phones", 19900, 1050, "");
            yield return new("纯棉宽松圆领T恤 男款 黑色 L", "Men's Loose Cotton Crew-Neck T-Shirt, Black, L", "mens-clothing", 5990, null, "https://img.example.com/tshirt.jpg");
            await Task.CompletedTask;
        }
        await WriteAsync(stream, Examples(), ct);
    }

    /// <summary>Defuses a cell a spreadsheet would run as a formula; <see cref="Unquote"/> undoes it on import.</summary>
    private static string Quote(string text) => text.Length > 0 && FormulaStarts.Contains(text[0]) ? "'" + text : text;

    private static string Unquote(string text) => text.Length > 1 && text[0] == '\'' && FormulaStarts.Contains(text[1]) ? text[1..] : text;
}

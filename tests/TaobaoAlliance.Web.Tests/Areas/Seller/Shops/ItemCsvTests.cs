using System.Text;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Tests.Areas.Seller.Plans;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Shops;

/// <summary>The CSV reader and writer on their own (no app, no database): structure, line numbers and what a spreadsheet would run.</summary>
public sealed class ItemCsvTests
{
    private static readonly Dictionary<string, int> Categories = new() { ["digital-phones"] = 3, ["books"] = 10 };

    private static ItemCsvResult Read(string text) => ItemCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), Categories);

    private static string Reasons(ItemCsvError error) => string.Join(" | ", error.Problems.Select(p => string.Format(System.Globalization.CultureInfo.InvariantCulture, p.Message, [.. p.Arguments])));

    [Fact]
    public void A_stray_quote_is_reported_on_its_own_line_and_the_lines_after_it_keep_their_numbers()
    {
        var result = Read(SellerCatalogTesting.Header + "\n" +
            "好书,A good book,books,10,,\n" +
            "坏\"引号,Bad \"quote,books,10,,\n" +
            "好书2,Another book,BOOKS,10.5,3,\n" +
            "好书3,Third book,books,x,,\n");

        result.Rows.Should().BeEmpty("a file with a bad line imports nothing");
        result.Errors.Select(e => e.Line).Should().Equal(3, 5);
        Reasons(result.Errors[0]).Should().Contain("stray quote");
        Reasons(result.Errors[1]).Should().Contain("price_yuan “x” is not a number");
    }

    [Fact]
    public void A_NUL_character_in_any_field_is_an_error_of_its_line()
    {
        var result = Read(SellerCatalogTesting.Header + "\n" +
            "好书,A good book,books,10,,\n" +
            "书\0名,Nul title,books,10,,\n" +
            "好书2,Nul price,books,1\00,,\n");

        result.Rows.Should().BeEmpty();
        result.Errors.Select(e => e.Line).Should().Equal(3, 4);
        result.Errors.Should().OnlyContain(e => Reasons(e).Contains("NUL character"));
    }

    [Fact]
    public void Columns_may_come_in_any_order_and_a_rate_may_carry_a_percent_sign()
    {
        var result = Read("image_url,commission_rate_percent,price_yuan,category,title_en,title_zh\r\n/img/a.png,12.5%,0,digital-phones,Free sample,免费样品\r\n");

        result.Errors.Should().BeEmpty();
        result.Rows.Should().Equal(new ItemCsvRow(2, "免费样品", "Free sample", 3, 0, 1250, "/img/a.png"));
    }

    [Fact]
    public async Task Titles_a_spreadsheet_would_run_as_formulas_are_defused_in_the_export_and_read_back_as_they_were()
    {
        var stream = new MemoryStream();
        await ItemCsv.WriteAsync(stream, Rows(new ItemCsvExportRow("=HYPERLINK(\"x\")", "+1 pack, \"quoted\"", "books", 1234, 550, "")));
        var text = Encoding.UTF8.GetString(stream.ToArray());

        text.Should().Contain("'=HYPERLINK").And.Contain("\"'+1 pack, \"\"quoted\"\"\"");
        stream.Position = 0;
        ItemCsv.Read(stream, Categories).Rows.Should().Equal(new ItemCsvRow(2, "=HYPERLINK(\"x\")", "+1 pack, \"quoted\"", 10, 1234, 550, ""));
    }

    private static async IAsyncEnumerable<ItemCsvExportRow> Rows(params ItemCsvExportRow[] rows)
    {
        foreach (var row in rows) yield return row;
        await Task.CompletedTask;
    }
}

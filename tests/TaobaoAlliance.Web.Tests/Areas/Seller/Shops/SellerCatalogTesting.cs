using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Tests.Areas.Seller.Plans;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Shops;

/// <summary>Signing sellers in, arranging shops of a test's own, and uploading CSV files as a browser would.</summary>
public static partial class SellerCatalogTesting
{

    /// <summary>A new, empty shop of a demo seller, made in the database so the test owns every item in it.</summary>
    public static async Task<long> NewShopAsync(this AllianceApp app, int sellerNumber = 1, int generalRateBp = 500)
    {
        await using var db = app.NewDb();
        var sellerId = await db.Sellers.Where(s => s.User.Email == $"seller{sellerNumber}@taobaoalliance.local").Select(s => s.Id).SingleAsync();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var shop = new Shop
        {
            SellerId = sellerId, Slug = "test-" + tag, NameZh = "测试店 " + tag, NameEn = "Test shop " + tag, GeneralRateBp = generalRateBp,
            CreatedAt = app.Clock.GetUtcNow(),
        };
        db.Shops.Add(shop);
        await db.SaveChangesAsync();
        return shop.Id;
    }

    public static async Task<int> ItemCountAsync(this AllianceApp app, long shopId)
    {
        await using var db = app.NewDb();
        return await db.Items.CountAsync(i => i.ShopId == shopId);
    }

    /// <summary>Uploads a file through the import form (multipart, with the page's antiforgery token).</summary>
    public static async Task<HttpResponseMessage> UploadCsvAsync(this BrowserSession browser, long shopId, byte[] file, string fileName = "items.csv")
    {
        var page = $"/Seller/Shops/{shopId}/Import";
        var token = AntiforgeryToken.From(await browser.PageAsync(page));
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var fileContent = new ByteArrayContent(file);
        fileContent.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(fileContent, "Upload", fileName);
        return await browser.Client.PostAsync(new Uri(page, UriKind.Relative), content);
    }


    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public const string Header = "title_zh,title_en,category,price_yuan,commission_rate_percent,image_url";

    /// <summary>The lines of the import's error table: line number → the reasons, as the page shows them.</summary>
    public static IReadOnlyDictionary<int, string> ImportErrors(string html) =>
        ErrorRowPattern().Matches(html).ToDictionary(
            m => int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture),
            m => WebUtility.HtmlDecode(TagPattern().Replace(m.Groups["body"].Value, " ")).Trim());

    public static async Task<HttpStatusCode> StatusAsync(this BrowserSession browser, string url)
    {
        using var response = await browser.GetAsync(url);
        return response.StatusCode;
    }

    [GeneratedRegex("<tr class=\"import-error\" data-line=\"(?<line>\\d+)\">(?<body>.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex ErrorRowPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}

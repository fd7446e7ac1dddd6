using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using TaobaoAlliance.Web.Tests.Data;
using TaobaoAlliance.Web.Tests.Seeding;

namespace TaobaoAlliance.Web.Tests.Pages.Store;

public sealed class StorefrontTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    [Fact]
    public async Task The_home_page_lists_seeded_items_in_English()
    {
        var client = app.CreateClient();
        var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        await using var db = app.NewDb();
        var topSeller = db.Items.OrderByDescending(i => i.MonthlySales).ThenBy(i => i.Id).First();
        html.Should().Contain(Html.Encode(topSeller.TitleEn)).And.Contain("¥");
    }

    [Fact]
    public async Task An_item_page_shows_title_price_and_shop_in_Chinese_when_asked()
    {
        await using var db = app.NewDb();
        var item = db.Items.Where(i => i.Id == 14).Select(i => new { i.TitleZh, i.PriceFen, Shop = i.Shop.NameZh }).Single();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var response = await client.GetAsync("/item/14");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain(item.TitleZh).And.Contain(item.Shop).And.Contain($"¥{item.PriceFen / 100m:#,0.00}").And.Contain("月销量");
    }

    [Fact]
    public async Task The_culture_switcher_remembers_the_choice_and_returns_to_the_page()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        (await client.GetAsync("/item/14")).Dispose();

        // No token: the switcher sits on pages cached for every anonymous visitor (StorefrontCache).
        var response = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "zh-Hans", ["returnUrl"] = "/item/14",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/item/14");
        var page = await (await client.GetAsync("/item/14")).Content.ReadAsStringAsync();
        page.Should().Contain("月销量");
    }

    [Fact]
    public async Task The_culture_switcher_never_redirects_off_site()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en", ["returnUrl"] = "//evil.example.com/",
        }));

        response.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task An_unknown_item_answers_404_with_a_friendly_page()
    {
        var response = await app.CreateClient().GetAsync("/item/987654");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Page not found");
    }

    [Fact]
    public async Task Search_finds_items_by_Chinese_and_by_English_words()
    {
        var client = app.CreateClient();
        await using var db = app.NewDb();
        var item = db.Items.Single(i => i.Id == 14);

        var zh = await client.GetStringAsync("/?q=" + Uri.EscapeDataString(item.TitleZh[..4]));
        var en = await client.GetStringAsync("/?q=" + Uri.EscapeDataString(item.TitleEn.Split(' ')[1]));

        zh.Should().Contain("/item/14\"");
        en.Should().Contain("/item/14\"");
    }

    [Fact]
    public async Task Health_reports_the_database_and_pages_carry_security_headers()
    {
        var client = app.CreateClient();
        var health = await client.GetAsync("/health");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        (await health.Content.ReadAsStringAsync()).Should().Be("Healthy");

        var home = await client.GetAsync("/");
        home.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'").And.NotContain("unsafe-inline");
        home.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        home.Headers.GetValues("Referrer-Policy").Should().ContainSingle();
    }
}

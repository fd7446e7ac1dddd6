using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TaobaoAlliance.Web.Tests.Pages.Store;

/// <summary>
/// The anonymous storefront comes from the output cache (StorefrontCache): proved without timing by changing a title
/// behind the app's back (no notification) and still seeing the old one, then by a notified change showing up.
/// </summary>
public sealed class StorefrontCacheTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    [Fact]
    public async Task The_anonymous_home_is_served_from_the_cache_until_the_database_notifies_a_change()
    {
        var top = await TopSellerAsync();
        var client = app.CreateClient();
        (await HomeAsync(client)).Should().Contain(Html.Encode(top.TitleEn));

        var hidden = "Hidden change " + Guid.NewGuid().ToString("N")[..8];
        await using (var db = app.NewDb())
        {
            // Triggers off for this session: no NOTIFY storefront, as if the change had been lost.
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("SET LOCAL session_replication_role = replica");
            await db.Database.ExecuteSqlAsync($"UPDATE items SET title_en = {hidden} WHERE id = {top.Id}");
            await tx.CommitAsync();
        }
        (await HomeAsync(client)).Should().Contain(Html.Encode(top.TitleEn)).And.NotContain(hidden, "the second GET is the cached page");

        var notified = "Notified change " + Guid.NewGuid().ToString("N")[..8];
        await using (var db = app.NewDb())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE items SET title_en = {notified} WHERE id = {top.Id}");
        }
        var html = "";
        for (var i = 0; i < 400 && !html.Contains(notified, StringComparison.Ordinal); i++)
        {
            if (i > 0) await Task.Delay(25);
            html = await HomeAsync(client);
        }
        html.Should().Contain(notified, "the notification evicts the cached storefront");
    }

    [Fact]
    public async Task A_change_saved_on_this_node_shows_at_once()
    {
        var top = await TopSellerAsync();
        var client = app.CreateClient();
        (await (await client.GetAsync($"/item/{top.Id}")).Content.ReadAsStringAsync()).Should().Contain(Html.Encode(top.TitleEn));

        var saved = "Saved here " + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaobaoAlliance.Data.AllianceDbContext>(); // the app's own, with its interceptors
            var item = await db.Items.SingleAsync(i => i.Id == top.Id);
            item.TitleEn = saved;
            await db.SaveChangesAsync();
        }

        (await (await client.GetAsync($"/item/{top.Id}")).Content.ReadAsStringAsync()).Should().Contain(saved);
    }

    [Fact]
    public async Task English_and_Chinese_pages_are_cached_apart()
    {
        var top = await TopSellerAsync();
        var english = app.CreateClient();
        var chinese = app.CreateClient();
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        (await HomeAsync(english)).Should().Contain(Html.Encode(top.TitleEn));
        (await HomeAsync(chinese)).Should().Contain(top.TitleZh).And.NotContain(Html.Encode(top.TitleEn));
        (await HomeAsync(english)).Should().Contain(Html.Encode(top.TitleEn)).And.NotContain(top.TitleZh);
        (await (await english.GetAsync($"/item/{top.Id}")).Content.ReadAsStringAsync()).Should().NotContain("月销量");
        (await (await chinese.GetAsync($"/item/{top.Id}")).Content.ReadAsStringAsync()).Should().Contain("月销量");
    }

    [Fact]
    public async Task The_search_is_cached_per_query()
    {
        await using var db = app.NewDb();
        var two = await db.Items.Where(i => i.IsListed).OrderBy(i => i.Id).Select(i => i.TitleEn).Take(2).ToListAsync();
        var client = app.CreateClient();

        (await HomeAsync(client, "?q=" + Uri.EscapeDataString(two[0]))).Should().Contain(Html.Encode(two[0])).And.NotContain(Html.Encode(two[1]));
        (await HomeAsync(client, "?q=" + Uri.EscapeDataString(two[1]))).Should().Contain(Html.Encode(two[1])).And.NotContain(Html.Encode(two[0]));
    }

    [Fact]
    public async Task A_signed_in_buyer_never_gets_the_cached_page_and_no_visitor_gets_theirs()
    {
        var anonymous = app.CreateClient();
        await HomeAsync(anonymous);
        await anonymous.GetAsync("/item/14");

        using var buyer = new BrowserSession(app);
        var name = "Cachebuyer" + Guid.NewGuid().ToString("N")[..8];
        await buyer.SignUpAsync($"{name}@example.test", "Shopper!pass1", displayName: name);

        (await buyer.PageAsync("/")).Should().Contain(name);
        (await buyer.PageAsync("/item/14")).Should().Contain(name).And.Contain("?handler=AddToCart");
        (await buyer.PageAsync("/")).Should().Contain(name);

        (await HomeAsync(anonymous)).Should().NotContain(name);
        (await (await anonymous.GetAsync("/item/14")).Content.ReadAsStringAsync()).Should().NotContain(name).And.NotContain("?handler=AddToCart");
    }

    [Fact]
    public async Task Cached_pages_carry_no_antiforgery_token_or_cookie()
    {
        foreach (var url in new[] { "/", "/item/14", "/?q=a", "/item/14" })
        {
            var client = app.CreateClient();
            using var response = await client.GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Headers.TryGetValues("Set-Cookie", out var cookies).Should().BeFalse($"{url} is cached for everyone: a cookie set there ({string.Join("; ", cookies ?? [])}) would be everyone's");
            (await response.Content.ReadAsStringAsync()).Should().NotContain("__RequestVerificationToken");
        }
    }

    private static async Task<string> HomeAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<(long Id, string TitleEn, string TitleZh)> TopSellerAsync()
    {
        await using var db = app.NewDb();
        var top = await db.Items.Where(i => i.IsListed).OrderByDescending(i => i.MonthlySales).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.TitleEn, i.TitleZh }).FirstAsync();
        return (top.Id, top.TitleEn, top.TitleZh);
    }
}

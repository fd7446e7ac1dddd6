using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution.Texts;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;
using static TaobaoAlliance.Testing.MoneyWorld;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Localization;

/// <summary>
/// Issue 15: texts the platform stores or derives (attribution notes, commission formulas, ledger entries, site history,
/// audit actions, invalid-click reasons, settlement dates) are rendered from codes in the reader's language.
/// </summary>
public sealed partial class StoredTextsTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    private static async Task<BrowserSession> AdminInAsync(AllianceApp app, string culture)
    {
        var admin = await AdminAsync(app);
        using var switched = await admin.PostAsync("/culture", [new("culture", culture), new("returnUrl", "/Admin")]);
        switched.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return admin;
    }

    /// <summary>An order of ¥100.00 on a click 3 hours before at 10 %: ¥10.00 commission, ¥1.00 fee, ¥9.00 to the webmaster.</summary>
    private async Task<(long OrderId, Guid ClickId)> PaidOrderAsync(TestWebmaster webmaster)
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        var clickId = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-3), itemRateBp: 1_000);
        var result = await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));
        return (result.OrderId, clickId);
    }

    [Fact]
    public async Task The_admin_order_page_reads_the_attribution_note_the_commission_formula_and_the_ledger_in_Chinese()
    {
        var (orderId, clickId) = await PaidOrderAsync(await world.NewWebmasterAsync());
        using var admin = await AdminInAsync(app, "zh-Hans");

        var text = PageText.Text(await admin.PageAsync($"/Admin/Orders/{orderId}"));

        text.Should().Contain($"点击 {clickId} 胜出：这是该访客最后一次有效点击，在付款前 3 小时。")
            .And.Contain("¥100.00 × 10 % = ¥10.00（被点击的商品，按点击时的佣金比例）；平台服务费 10 % = ¥1.00；站长 ¥9.00。")
            .And.Contain($"订单 {orderId} 的佣金已计提").And.Contain("佣金计提");
        text.Should().NotContain("the visitor's last valid click").And.NotContain("at its rate at click time")
            .And.NotContain("Commission accrued on order");
    }

    [Fact]
    public async Task The_admin_order_page_reads_the_same_texts_in_English()
    {
        var (orderId, clickId) = await PaidOrderAsync(await world.NewWebmasterAsync());
        using var admin = await AdminInAsync(app, "en");

        var text = PageText.Text(await admin.PageAsync($"/Admin/Orders/{orderId}"));

        text.Should().Contain($"Click {clickId} won: the visitor's last valid click, 3 h before payment.")
            .And.Contain("¥100.00 × 10 % = ¥10.00 (the clicked item, at its rate at click time); platform fee 10 % = ¥1.00; webmaster ¥9.00.")
            .And.Contain($"Commission accrued on order {orderId}");
        text.Should().NotContain("胜出").And.NotContain("佣金已计提");
        await using var db = app.NewDb();
        (await db.Orders.Where(o => o.Id == orderId).Select(o => o.AttributionNote).SingleAsync())
            .Should().Be($"Click {clickId} won: the visitor's last valid click, 3 h before payment.", "the English text is still kept for the API and webhooks");
    }

    [Fact]
    public async Task An_order_written_before_phrases_were_kept_shows_its_note_as_written()
    {
        var (orderId, _) = await PaidOrderAsync(await world.NewWebmasterAsync());
        await using (var db = app.NewDb())
        {
            await db.Orders.Where(o => o.Id == orderId)
                .ExecuteUpdateAsync(o => o.SetProperty(x => x.AttributionPhrases, (string?)null).SetProperty(x => x.AttributionNote, "An old note, in English."));
            await db.Commissions.Where(c => c.OrderId == orderId)
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.ExplanationPhrases, (string?)null).SetProperty(x => x.Explanation, "An old formula."));
        }
        using var admin = await AdminInAsync(app, "zh-Hans");

        var text = PageText.Text(await admin.PageAsync($"/Admin/Orders/{orderId}"));

        text.Should().Contain("An old note, in English.").And.Contain("An old formula.");
    }

    [Fact]
    public async Task A_note_that_no_click_won_reads_in_Chinese()
    {
        var webmaster = await world.NewWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-2), valid: false);
        var result = await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));
        using var admin = await AdminInAsync(app, "zh-Hans");

        var text = PageText.Text(await admin.PageAsync($"/Admin/Orders/{result.OrderId}"));

        text.Should().Contain("该访客在归因期内的 1 次点击全部无效。").And.NotContain("clicks by this visitor");
    }

    [Fact]
    public async Task The_statement_reads_in_Chinese_and_in_English()
    {
        using var zh = await app.NewWebmasterAsync("zh-CN");
        var zhMe = zh with { Webmaster = await app.NewSiteAsync(zh.Webmaster, "中文站", "侧栏") };
        using var en = await app.NewSignedInWebmasterAsync();
        var (zhOrder, _) = await PaidOrderAsync(zhMe.Webmaster);
        var (enOrder, _) = await PaidOrderAsync(en.Webmaster);
        string ExternalId(long id)
        {
            using var db = app.NewDb();
            return db.Orders.Where(o => o.Id == id).Select(o => o.ExternalOrderId).Single();
        }

        PageText.Text(await zh.Browser.PageAsync("/Webmaster/Balance")).Should().Contain($"订单 {ExternalId(zhOrder)} 佣金：结算前为待结算")
            .And.NotContain("pending until it settles");
        PageText.Text(await en.Browser.PageAsync("/Webmaster/Balance")).Should().Contain($"Commission on order {ExternalId(enOrder)}: pending until it settles");
    }

    [Fact]
    public async Task Pending_commission_shows_when_it_is_expected_to_settle_before_and_after_confirmation()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(me.Webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 5_000);
        var orderId = NewOrderId();
        var paidAt = world.Now.AddMinutes(-5);
        await world.ProcessAsync(Paid(item.ShopId, orderId, paidAt, visitor, Line(item.Id, 1, 100_000)));

        var unconfirmed = Settlements(await me.Browser.PageAsync("/Webmaster/Balance"));
        // Not confirmed: automatic confirmation after 10 days, then the 7-day hold — at the latest.
        unconfirmed.Should().Equal((ReportTesting.Iso(ReportTesting.ChinaDay(paidAt.AddDays(17))), 45_000L, false));

        PageText.Text(await me.Browser.PageAsync("/Webmaster")).Should()
            .Contain($"Next expected to settle: ¥450.00 by {Attribution.ChinaTime.Format(paidAt.AddDays(17))} at the latest.");

        var confirmedAt = world.Now;
        await world.ProcessAsync(Confirmed(item.ShopId, orderId, confirmedAt));
        var html = await me.Browser.PageAsync("/Webmaster/Balance");

        Settlements(html).Should().Equal((ReportTesting.Iso(ReportTesting.ChinaDay(confirmedAt.AddDays(7))), 45_000L, true));
        PageText.Text(html).Should().Contain("When your pending commission is expected to settle").And.Contain("1 confirmed order");
    }

    [Fact]
    public async Task A_settled_commission_has_no_expected_settlement_left()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(me.Webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 5_000);
        var orderId = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now.AddMinutes(-5), visitor, Line(item.Id, 1, 100_000)));
        await world.ProcessAsync(Confirmed(item.ShopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();

        var html = await me.Browser.PageAsync("/Webmaster/Balance");

        Settlements(html).Should().BeEmpty();
        html.Should().NotContain("commission-settlements");
    }

    private static List<(string Day, long ShareFen, bool Confirmed)> Settlements(string html) =>
        [.. SettlementRow().Matches(html).Select(m => (m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value == "true"))];

    [GeneratedRegex("class=\"commission-settlement\" data-day=\"([0-9-]+)\" data-share-fen=\"(-?[0-9]+)\" data-confirmed=\"(true|false)\"")]
    private static partial Regex SettlementRow();

    [Theory]
    [InlineData("zh-CN", "机器人 User-Agent", "无效点击的原因")]
    [InlineData(null, "Bot user agent", "Why clicks were invalid")]
    public async Task The_webmasters_report_breaks_invalid_clicks_down_by_reason(string? language, string reason, string heading)
    {
        using var signedUp = await app.NewWebmasterAsync(language);
        var me = signedUp with { Webmaster = await app.NewSiteAsync(signedUp.Webmaster, "Reasons", "Top") };
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, world.Now.AddMinutes(-3), valid: false);
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, world.Now.AddMinutes(-2), valid: false);
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, world.Now.AddMinutes(-1));

        var html = await me.Browser.PageAsync("/Webmaster/Reports");

        PageText.Text(html).Should().Contain(heading).And.Contain(reason);
        InvalidReasons().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Should().Equal(("bot_user_agent", "2"));
    }

    [Fact]
    public async Task Another_webmasters_invalid_clicks_are_not_in_my_report()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var other = await world.NewWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        await world.ClickAsync(other, Guid.NewGuid(), item.Id, world.Now.AddMinutes(-3), valid: false);

        var html = await me.Browser.PageAsync("/Webmaster/Reports");

        InvalidReasons().Matches(html).Should().BeEmpty();
    }

    [GeneratedRegex("<tr class=\"invalid-reason\" data-reason=\"([a-z_]+)\">\\s*<td>[^<]*</td>\\s*<td class=\"text-end\">([0-9,]+)</td>")]
    private static partial Regex InvalidReasons();

    [Theory]
    [InlineData("zh-CN", "已登记", "Registered")]
    [InlineData(null, "Registered", "已登记")]
    public async Task A_sites_history_reads_in_the_readers_language(string? language, string expected, string notExpected)
    {
        using var me = await app.NewWebmasterAsync(language);
        using var response = await me.Browser.SubmitAsync("/Webmaster/Sites/Register", "/Webmaster/Sites/Register", new Dictionary<string, string>
        {
            ["Input.Name"] = "History", ["Input.Url"] = $"https://{Guid.NewGuid():N}.example.com", ["Input.CategoryId"] = "3",
            ["Input.ClaimedDailyVisitors"] = "100", ["Input.Description"] = "Phones",
        });
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await response.Content.ReadAsStringAsync()));

        var history = HistorySection(PageText.Text(await me.Browser.PageAsync(response.Headers.Location!.OriginalString)));

        history.Should().Contain(expected).And.NotContain(notExpected);
    }

    private static string HistorySection(string text)
    {
        var at = Math.Max(text.LastIndexOf("History", StringComparison.Ordinal), text.LastIndexOf("审核记录", StringComparison.Ordinal));
        at.Should().BeGreaterThanOrEqualTo(0, "the page has a history");
        return text[at..];
    }

    [Theory]
    [InlineData("books")]
    [InlineData("mens-clothing")]
    [InlineData("home-appliances")]
    public async Task A_placeholder_image_has_no_words_baked_in(string category)
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.GetAsync($"/img/items/{category}.svg");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var svg = await response.Content.ReadAsStringAsync();
        svg.Should().StartWith("<svg").And.NotContain("<text").And.NotContain("aria-label");
    }

    [Fact]
    public void Every_phrase_reads_in_Chinese_with_its_arguments()
    {
        var localizer = Localizer();
        using var _ = new CultureScope("zh-Hans");
        foreach (var (code, template) in PhraseBook.All)
        {
            var zh = localizer[template];
            zh.ResourceNotFound.Should().BeFalse($"phrase {code} needs its Chinese in the shared resource");
            Placeholders(zh.Value).Should().BeEquivalentTo(Placeholders(template), $"the Chinese of {code} fills in the same arguments");
        }
    }

    [Fact]
    public void A_phrase_renders_its_nested_phrase_and_reason_in_the_readers_language()
    {
        var localizer = Localizer();
        var line = new Phrase(PhraseBook.CommissionLine, "¥1.00", "5 %", "¥0.05", Phrase.Nested(PhraseBook.WhyShopGeneral), "10 %", "¥0.01", "¥0.04");
        var invalid = new Phrase(PhraseBook.StoreClickInvalid, "c1", Phrase.Reason("ip_rate_limit"));
        var json = Phrases.ToJson([line, invalid]);

        string zh, en;
        using (new CultureScope("zh-Hans")) zh = PhraseText.Render(json, "legacy", localizer);
        using (new CultureScope("en")) en = PhraseText.Render(json, "legacy", localizer);

        zh.Should().Be("¥1.00 × 5 % = ¥0.05（所点击店铺的其他商品，按点击时的店铺通用佣金比例）；平台服务费 10 % = ¥0.01；站长 ¥0.04。"
            + "商店回传的点击 c1 无效（同一 IP 点击过于频繁）。");
        en.Should().Be("¥1.00 × 5 % = ¥0.05 (another item of the clicked shop, at the shop's general rate at click time); platform fee 10 % = ¥0.01; webmaster ¥0.04."
            + " The store's click c1 is invalid (Too many clicks from one IP).");
        PhraseText.Render(null, "legacy", localizer).Should().Be("legacy");
        PhraseText.Render("not json", "legacy", localizer).Should().Be("legacy");
    }

    [Fact]
    public void Every_audit_action_the_application_writes_has_a_phrase_in_Chinese()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TaobaoAlliance.sln"))) root = root.Parent;
        root.Should().NotBeNull();
        var written = Directory.EnumerateFiles(Path.Combine(root!.FullName, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => AuditCall().Matches(File.ReadAllText(f)))
            .SelectMany(m => AuditCode().Matches(m.Value).Select(c => c.Groups[1].Value))
            .ToHashSet();
        written.Should().Contain("site.register", "the scan finds the calls").And.Contain("payout_method.change").And.Contain("webhook.save");

        written.Except(AuditText.KnownActions).Should().BeEmpty("every action code written to the audit log needs a phrase in AuditText");
        var localizer = Localizer();
        using var _ = new CultureScope("zh-Hans");
        foreach (var action in AuditText.KnownActions)
        {
            AuditText.Action(action, localizer).Should().NotBe(action).And.MatchRegex("\\p{IsCJKUnifiedIdeographs}", $"{action} reads in Chinese");
        }
        foreach (var entity in AuditText.KnownEntities)
        {
            AuditText.Entity(entity, localizer).Should().MatchRegex("\\p{IsCJKUnifiedIdeographs}", $"{entity} reads in Chinese");
        }
    }

    // audit.Record(actor, "code" or a ternary of codes, ...: the literal codes up to the entity type's argument.
    [GeneratedRegex("audit\\.Record\\([^;]*?,\\s*(?:[^,;]*?\\?\\s*)?\"[a-z_]+(?:\\.[a-z_]+)+\"(?:\\s*:\\s*\"[a-z_]+(?:\\.[a-z_]+)+\")?")]
    private static partial Regex AuditCall();

    [GeneratedRegex("\"([a-z_]+(?:\\.[a-z_]+)+)\"")]
    private static partial Regex AuditCode();

    private static IReadOnlyCollection<string> Placeholders(string text) => [.. Regex.Matches(text, "\\{[0-9]+\\}").Select(m => m.Value).Distinct()];

    private IStringLocalizer Localizer() =>
        app.Services.GetRequiredService<IStringLocalizerFactory>().Create(typeof(SharedResource));

    /// <summary>Sets the UI culture of this thread for a block, as the request localization does for a request.</summary>
    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo before = CultureInfo.CurrentUICulture;

        public CultureScope(string culture) => CultureInfo.CurrentUICulture = new CultureInfo(culture);

        public void Dispose() => CultureInfo.CurrentUICulture = before;
    }
}

using System.Net;
using TaobaoAlliance.Data.Mail;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Tests.Pages.Account;
using TaobaoAlliance.Web.Tests.Pages.Store;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using static TaobaoAlliance.Testing.MoneyWorld;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>Who may open the admin pages, and what the read-only ones show.</summary>
public sealed class AdminPagesTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    public static TheoryData<string> Pages() =>
    [
        "/Admin", "/Admin/Sites", "/Admin/Accounts", "/Admin/Payouts", "/Admin/Fraud", "/Admin/Orders", "/Admin/Settings",
        "/Admin/Audit", "/Admin/Outbox",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_admin_opens_every_admin_page_with_the_admin_nav(string page)
    {
        using var admin = await AdminAsync(app);

        var html = await admin.PageAsync(page);

        html.Should().Contain("area-nav").And.Contain("aria-current=\"page\"");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Anonymous_visitors_are_sent_to_sign_in(string page)
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.GetAsync(page);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().Should().StartWith("/Account/SignIn?ReturnUrl=");
    }

    [Theory]
    [InlineData("webmaster1@taobaoalliance.local", "Webmaster1!demo", "/Admin")]
    [InlineData("webmaster1@taobaoalliance.local", "Webmaster1!demo", "/Admin/Sites")]
    [InlineData("webmaster1@taobaoalliance.local", "Webmaster1!demo", "/Admin/Payouts")]
    [InlineData("webmaster1@taobaoalliance.local", "Webmaster1!demo", "/Admin/Settings")]
    [InlineData("seller1@taobaoalliance.local", "Seller1!demo", "/Admin/Accounts")]
    [InlineData("buyer@taobaoalliance.local", "Buyer!demo1", "/Admin/Orders")]
    public async Task Other_roles_are_denied(string email, string password, string page)
    {
        using var browser = new BrowserSession(app);
        await browser.SignInAsync(email, password);

        using var response = await browser.GetAsync(page);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().Should().StartWith("/Account/AccessDenied");
        using var denied = await browser.GetAsync(response.Headers.Location!.PathAndQuery());
        denied.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_webmaster_cannot_post_an_admin_decision()
    {
        var webmaster = await world.NewWebmasterAsync();
        var siteId = await NewSiteAsync(app, webmaster, "Not yours to approve");
        using var browser = new BrowserSession(app);
        await browser.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");

        using var response = await browser.PostAsync("/Admin/Sites?handler=Approve",
            new Dictionary<string, string> { ["siteId"] = siteId.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().Should().StartWith("/Account/AccessDenied");
        (await SiteAsync(app, siteId)).State.Should().Be(SiteState.Pending);
    }

    [Fact]
    public async Task The_order_page_shows_the_winning_click_the_explanation_and_the_ledger_entries()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        var clickId = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-3), itemRateBp: 1_000);
        var orderId = NewOrderId();
        var result = await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now, visitor, Line(item.Id, 1, 10_000)));
        using var admin = await AdminAsync(app);

        var list = await admin.PageAsync("/Admin/Orders?q=" + orderId);
        var detail = await admin.PageAsync($"/Admin/Orders/{result.OrderId}");

        list.Should().Contain($"href=\"/Admin/Orders/{result.OrderId}\"");
        detail.Should().Contain(orderId);
        var text = WebUtility.HtmlDecode(detail);
        text.Should().Contain(result.AttributionNote, "why the click won").And.Contain(result.Lines[0].Explanation!, "why the line earned what it did");
        detail.Should().Contain($"data-click=\"{clickId}\"").And.Contain("Valid");
        detail.Should().Contain("commission.accrued").And.Contain("¥9.00").And.Contain("¥10.00");
        detail.Should().Contain("?handler=Void", "a pending commission can be voided from its order");
        (await admin.GetAsync("/Admin/Orders/987654321")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_outbox_and_the_audit_log_show_what_users_typed_as_text()
    {
        await using (var db = app.NewDb())
        {
            db.OutboxEmails.Add(new OutboxEmail
            {
                To = "someone@example.test", Subject = "Reset <i>now</i>", HtmlBody = "<p>Click <a href=\"https://evil.example\">here</a></p>", CreatedAt = world.Now,
            });
            db.AuditLog.Add(new TaobaoAlliance.Data.Audit.AuditLogEntry
            {
                At = world.Now, Action = "test.encoding", EntityType = "site", EntityId = "1", Details = "{\"reason\": \"<script>alert(3)</script>\"}",
            });
            await db.SaveChangesAsync();
        }
        using var admin = await AdminAsync(app);

        var outbox = await admin.PageAsync("/Admin/Outbox?to=someone%40example.test");
        var audit = await admin.PageAsync("/Admin/Audit?action=test.encoding");

        outbox.Should().Contain("Reset &lt;i&gt;now&lt;/i&gt;").And.Contain("&lt;p&gt;Click &lt;a href=&quot;https://evil.example&quot;&gt;here&lt;/a&gt;&lt;/p&gt;")
            .And.NotContain("<a href=\"https://evil.example\"");
        audit.Should().Contain("&lt;script&gt;alert(3)&lt;/script&gt;").And.NotContain("<script>alert(3)");
    }
}

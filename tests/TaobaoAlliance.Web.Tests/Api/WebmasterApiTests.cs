using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Web.Tests.Api;

public sealed class WebmasterApiTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Webmaster1Key = "ta_dev_wm1_7Qf3kP9sLx2VbN4c";
    private const string Webmaster2Key = "ta_dev_wm2_Hc8dR5tYm1ZqW6eJ";
    private readonly MoneyWorld world = new(app);

    private HttpClient Client(string? key)
    {
        var client = app.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private async Task<TestWebmaster> DemoWebmasterAsync(string email)
    {
        await using var db = app.NewDb();
        var w = db.Webmasters.Where(x => x.User.Email == email).Select(x => new { x.Id, x.UserId }).Single();
        var site = db.Sites.Where(s => s.WebmasterId == w.Id).Select(s => new { s.Id, Zone = s.Zones.First().Id }).First();
        return new TestWebmaster(w.Id, w.UserId, site.Id, site.Zone);
    }

    [Fact]
    public async Task A_webmaster_reads_their_commissions_and_balance_with_their_key_and_no_one_elses()
    {
        var webmaster1 = await DemoWebmasterAsync("webmaster1@taobaoalliance.local");
        var visitor = Guid.NewGuid();
        var click = await world.ClickAsync(webmaster1, visitor, 14, world.Now.AddHours(-1), itemRateBp: 300);
        var orderId = NewOrderId();
        await world.ProcessAsync(Paid(1, orderId, world.Now, visitor, Line(14, 1, 50_000)));

        var commissions = await Client(Webmaster1Key).GetFromJsonAsync<JsonElement>(
            $"/api/v1/me/commissions?from={Uri.EscapeDataString(world.Now.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(world.Now.AddDays(1).ToString("O"))}");
        var mine = commissions.EnumerateArray().Single(c => c.GetProperty("externalOrderId").GetString() == orderId);
        mine.GetProperty("clickId").GetGuid().Should().Be(click);
        mine.GetProperty("shopId").GetInt64().Should().Be(1);
        mine.GetProperty("itemId").GetInt64().Should().Be(14);
        mine.GetProperty("state").GetString().Should().Be("Pending");
        (mine.GetProperty("commissionFen").GetInt64(), mine.GetProperty("webmasterFen").GetInt64(), mine.GetProperty("platformFeeFen").GetInt64(), mine.GetProperty("subsidyFen").GetInt64())
            .Should().Be((1_500L, 1_350L, 150L, 0L));

        var balance = await Client(Webmaster1Key).GetFromJsonAsync<JsonElement>("/api/v1/me/balance");
        balance.GetProperty("pendingFen").GetInt64().Should().BeGreaterThanOrEqualTo(1_350);

        var other = await Client(Webmaster2Key).GetFromJsonAsync<JsonElement>(
            $"/api/v1/me/commissions?from={Uri.EscapeDataString(world.Now.AddDays(-1).ToString("O"))}");
        other.EnumerateArray().Should().NotContain(c => c.GetProperty("externalOrderId").GetString() == orderId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ta_dev_wm1_wrong")]
    public async Task Without_a_valid_key_the_api_answers_401(string? key)
    {
        var response = await Client(key).GetAsync("/api/v1/me/balance");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_reversed_period_is_a_problem()
    {
        var response = await Client(Webmaster1Key).GetAsync("/api/v1/me/commissions?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("from must be before to");
    }

    // The OpenAPI document is served in Development only: Security/HttpHardeningTests (DevelopmentApiTests) reads it.
}

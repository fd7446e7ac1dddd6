using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Api;

namespace TaobaoAlliance.Web.Tests.Api;

/// <summary>The signed item import: a shop's server sends a CSV; one bad line imports nothing.</summary>
public sealed class ItemImportApiTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Shop2Secret = "ta_dev_shop2_secret_Kp7xD2mRt9";
    private const string Header = "title_zh,title_en,category,price_yuan,commission_rate_percent,image_url\n";

    private Task<HttpResponseMessage> PostAsync(long shopId, string csv, string secret = Shop2Secret) =>
        PostSignedAsync(shopId, csv, ShopSignatures.Sign(Encoding.UTF8.GetBytes(csv), secret, app.Clock.GetUtcNow()));

    private async Task<HttpResponseMessage> PostSignedAsync(long shopId, string csv, string signature)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/shops/{shopId}/items/import") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("text/csv");
        request.Headers.Add(ShopSignatures.Header, signature);
        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>The problem document without its per-request trace id.</summary>
    private static async Task<string> ProblemWithoutTraceAsync(HttpResponseMessage response)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        json.Remove("traceId");
        return json.ToJsonString();
    }

    private async Task<int> ItemCountAsync(long shopId, string titlePrefix)
    {
        await using var db = app.NewDb();
        return await db.Items.CountAsync(i => i.ShopId == shopId && i.TitleEn.StartsWith(titlePrefix));
    }

    [Fact]
    public async Task A_signed_good_file_imports_every_line()
    {
        var tag = "Api " + Guid.NewGuid().ToString("N")[..6];
        var csv = Header + $"接口耳机,{tag} earbuds,digital-phones,199.00,6,\n接口充电器,{tag} charger,digital-phones,59.90,,\n";

        var response = await PostAsync(2, csv);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("imported").GetInt32().Should().Be(2);
        (await ItemCountAsync(2, tag)).Should().Be(2);
    }

    [Fact]
    public async Task One_bad_line_imports_nothing_and_the_problem_names_the_line()
    {
        var tag = "Bad " + Guid.NewGuid().ToString("N")[..6];
        var csv = Header + $"好,{tag} one,digital-phones,10.00,,\n坏,{tag} two,digital-phones,-5,,\n好,{tag} three,digital-phones,10.00,,\n";

        var response = await PostAsync(2, csv);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().ToList();
        errors.Should().ContainSingle().Which.GetProperty("line").GetInt32().Should().Be(3);
        (await ItemCountAsync(2, tag)).Should().Be(0);
    }

    [Fact]
    public async Task NUL_characters_are_a_per_line_error_and_import_nothing()
    {
        var tag = "Nul " + Guid.NewGuid().ToString("N")[..6];
        var csv = Header + $"好,{tag} one,digital-phones,10.00,,\n坏\0,{tag} two,digital-phones,10.00,,\n好,{tag} three,digital-phones,10.00,/img/a\0.png\n";

        var response = await PostAsync(2, csv);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().ToList();
        errors.Select(e => e.GetProperty("line").GetInt32()).Should().Equal(3, 4);
        errors[0].GetProperty("problems")[0].GetString().Should().Contain("NUL character");
        (await ItemCountAsync(2, tag)).Should().Be(0);
    }

    [Fact]
    public async Task A_file_signed_with_another_shops_secret_is_refused_and_imports_nothing()
    {
        var tag = "Forged " + Guid.NewGuid().ToString("N")[..6];

        var response = await PostAsync(2, Header + $"假,{tag},digital-phones,10.00,,\n", secret: "ta_dev_shop1_secret_Wv3nB8qLz5");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ItemCountAsync(2, tag)).Should().Be(0);
    }

    [Fact]
    public async Task An_unknown_shop_and_a_wrong_signature_get_the_same_401()
    {
        var unknownShop = await PostAsync(987_654, Header);
        var wrongSignature = await PostAsync(2, Header, secret: "not-the-secret");

        unknownShop.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a 404 would tell which shops exist");
        wrongSignature.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unknownShop.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ProblemWithoutTraceAsync(unknownShop)).Should().Be(await ProblemWithoutTraceAsync(wrongSignature));
    }

    [Fact]
    public async Task A_replay_after_the_five_minute_window_is_401_and_imports_nothing_again()
    {
        var tag = "Replay " + Guid.NewGuid().ToString("N")[..6];
        var csv = Header + $"重放,{tag},digital-phones,10.00,,\n";
        var signature = ShopSignatures.Sign(Encoding.UTF8.GetBytes(csv), Shop2Secret, app.Clock.GetUtcNow());
        (await PostSignedAsync(2, csv, signature)).StatusCode.Should().Be(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(2));
        var replay = await PostSignedAsync(2, csv, signature);

        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        replay.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ItemCountAsync(2, tag)).Should().Be(1, "the captured request imported once, not twice");
    }

    [Fact]
    public async Task The_body_only_signature_is_refused_here()
    {
        var tag = "Old " + Guid.NewGuid().ToString("N")[..6];
        var csv = Header + $"旧,{tag},digital-phones,10.00,,\n";

        var response = await PostSignedAsync(2, csv, ShopSignatures.SignBodyOnly(Encoding.UTF8.GetBytes(csv), Shop2Secret));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "an import is not idempotent: it needs the signed time");
        (await ItemCountAsync(2, tag)).Should().Be(0);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_another_content_type_415()
    {
        var huge = Header + new string('x', 2 * 1024 * 1024 + 1);
        var tooLarge = await PostAsync(2, huge);

        var bytes = Encoding.UTF8.GetBytes(Header);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shops/2/items/import") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(ShopSignatures.Header, ShopSignatures.Sign(bytes, Shop2Secret, app.Clock.GetUtcNow()));
        var wrongType = await app.CreateClient().SendAsync(request);

        tooLarge.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        tooLarge.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        wrongType.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        wrongType.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}

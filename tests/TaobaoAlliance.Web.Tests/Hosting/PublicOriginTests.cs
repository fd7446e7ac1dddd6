using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Web.Hosting;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>Emailed links use the configured public origin, whatever Host header the request carried.</summary>
public sealed partial class PublicOriginTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    [Fact]
    public async Task A_reset_requested_with_a_forged_Host_is_emailed_on_the_configured_origin()
    {
        var email = $"forged-host-{Guid.NewGuid():N}@test.local";
        using (var signUp = new BrowserSession(app)) await signUp.SignUpAsync(email, "Original!pass1");
        // Development accepts any Host (AllowedHosts "*"), as ./build.sh run does: the link must not follow it.
        using var attacker = new BrowserSession(app, address: new Uri("http://evil.example/"));

        var sent = await attacker.SubmitAsync("/Account/ForgotPassword", "/Account/ForgotPassword", new Dictionary<string, string> { ["Input.Email"] = email });

        sent.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var db = app.NewDb();
        var mail = await db.OutboxEmails.SingleAsync(m => m.To == email && m.HtmlBody.Contains("ResetPassword"));
        var link = WebUtility.HtmlDecode(ResetLink().Match(mail.HtmlBody).Groups[1].Value);
        var origin = app.Services.GetRequiredService<IOptions<PublicSiteOptions>>().Value.Origin!;
        link.Should().StartWith(new Uri(origin, "/Account/ResetPassword?").AbsoluteUri).And.Contain("code=");
        mail.HtmlBody.Should().NotContain("evil.example");
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex ResetLink();
}

/// <summary>Outside Development only the configured host names are served.</summary>
public sealed class AllowedHostsTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_request_for_another_host_is_refused_outside_Development()
    {
        using var forged = new BrowserSession(app, address: new Uri("http://evil.example/"));
        using var real = new BrowserSession(app);

        var refused = await forged.GetAsync("/Account/ForgotPassword");
        var served = await real.GetAsync("/Account/ForgotPassword");

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        served.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("localhost:5080")]
    [InlineData("/relative")]
    [InlineData("ftp://files.example")]
    [InlineData("https://alliance.example/path")]
    public void An_origin_that_is_not_an_absolute_http_url_fails_validation(string origin)
    {
        var options = new PublicSiteOptions { Origin = new Uri(origin, UriKind.RelativeOrAbsolute) };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true).Should().BeFalse();
    }

    [Fact]
    public void An_https_origin_is_valid()
    {
        var options = new PublicSiteOptions { Origin = new Uri("https://alliance.example.com") };

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), [], validateAllProperties: true).Should().BeTrue();
    }
}

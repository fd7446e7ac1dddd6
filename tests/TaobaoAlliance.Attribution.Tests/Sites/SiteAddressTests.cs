using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Attribution.Tests.Sites;

public sealed class SiteAddressTests
{
    [Theory]
    [InlineData("https://gadgets.example.com/", "https://gadgets.example.com/")]
    [InlineData("  http://blog.example.com/page  ", "http://blog.example.com/page")]
    public void A_full_http_address_is_kept_trimmed(string text, string stored) =>
        SiteAddress.Check(text).Should().Be((stored, (SiteAddressProblem?)null));

    [Theory]
    [InlineData("gadgets.example.com")]
    [InlineData("ftp://gadgets.example.com/")]
    [InlineData("/relative/page")]
    [InlineData("mailto:someone@example.com")]
    public void Anything_but_an_absolute_http_address_is_refused(string text) =>
        SiteAddress.Check(text).Problem.Should().Be(SiteAddressProblem.NotHttp);

    [Fact]
    public void A_user_name_or_password_is_refused() =>
        SiteAddress.Check("https://admin:secret@gadgets.example.com/").Problem.Should().Be(SiteAddressProblem.HasUserInfo);

    [Fact]
    public void An_address_over_the_limit_is_refused() =>
        SiteAddress.Check("https://example.com/" + new string('a', SiteAddress.MaxLength)).Problem.Should().Be(SiteAddressProblem.TooLong);
}

using TaobaoAlliance.Attribution.Catalog;

namespace TaobaoAlliance.Attribution.Tests.Catalog;

public sealed class ExternalStoresTests
{
    private const string Host = "store.example.com";

    [Theory]
    [InlineData("Store.Example.com", "store.example.com")]
    [InlineData("https://store.example.com/", "store.example.com")]
    [InlineData("店铺.example.com", "xn--hxtq42j.example.com")]
    public void A_host_is_stored_lower_case_and_in_punycode(string typed, string stored)
    {
        ExternalStores.TryNormalizeHost(typed, out var host).Should().BeTrue();
        host.Should().Be(stored);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("store.example.com:8443")]
    [InlineData("store.example.com/shop")]
    [InlineData("user@store.example.com")]
    [InlineData("ftp://store.example.com")]
    [InlineData("")]
    public void A_host_that_is_not_a_plain_dns_name_is_refused(string typed) =>
        ExternalStores.TryNormalizeHost(typed, out _).Should().BeFalse();

    [Theory]
    [InlineData("https://store.example.com/p/1", true)]
    [InlineData("http://STORE.example.com/p/1?color=red#top", true)]
    [InlineData("https://evil.example/p/1", false)]
    [InlineData("https://shop.store.example.com/p/1", false)]
    [InlineData("https://store.example.com.evil.example/p/1", false)]
    [InlineData("https://store.example.com@evil.example/p/1", false)]
    [InlineData("https://store.example.com:444/p/1", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("/p/1", false)]
    [InlineData("https://store.example.com/p/1?alliance_click=abc", false)]
    public void A_product_url_must_be_on_exactly_the_registered_host(string url, bool accepted) =>
        ExternalStores.TryNormalizeUrl(url, Host, out _).Should().Be(accepted);

    [Fact]
    public void The_landing_appends_only_the_click_id_and_drops_the_fragment()
    {
        var click = Guid.Parse("0193a6f0-0000-7000-8000-000000000001");

        ExternalStores.Landing("https://store.example.com/p/1", Host, click).Should().Be("https://store.example.com/p/1?alliance_click=0193a6f0000070008000000000000001");
        ExternalStores.Landing("https://store.example.com/p/1?color=red#top", Host, click)
            .Should().Be("https://store.example.com/p/1?color=red&alliance_click=0193a6f0000070008000000000000001");
    }

    [Fact]
    public void A_stored_url_off_the_host_gives_no_landing() =>
        ExternalStores.Landing("https://evil.example/p/1", Host, Guid.NewGuid()).Should().BeNull();
}

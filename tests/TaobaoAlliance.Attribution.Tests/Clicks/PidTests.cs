using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Attribution.Tests.Clicks;

public sealed class PidTests
{
    [Fact]
    public void A_pid_names_webmaster_site_and_zone_in_that_order()
    {
        Pid.TryParse("mm_12_345_6789", out var pid).Should().BeTrue();

        pid.Should().Be(new Pid(12, 345, 6789));
    }

    [Fact]
    public void A_pid_reads_back_as_the_text_it_was_parsed_from()
    {
        Pid.TryParse("mm_9223372036854775807_1_20", out var pid).Should().BeTrue();

        pid!.ToString().Should().Be("mm_9223372036854775807_1_20");
        new Pid(1, 2, 3).ToString().Should().Be("mm_1_2_3");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mm_1_2")]
    [InlineData("mm_1_2_3_4")]
    [InlineData("MM_1_2_3")]
    [InlineData("xx_1_2_3")]
    [InlineData("1_2_3")]
    [InlineData("mm_1__3")]
    [InlineData("mm_0_2_3")]
    [InlineData("mm_01_2_3")]
    [InlineData("mm_-1_2_3")]
    [InlineData("mm_+1_2_3")]
    [InlineData("mm_1_2_3 ")]
    [InlineData(" mm_1_2_3")]
    [InlineData("mm_1_2_x")]
    [InlineData("mm_1_2_9223372036854775808")]
    [InlineData("mm_1_2_３")]
    public void Anything_but_a_canonical_pid_is_refused(string? text)
    {
        Pid.TryParse(text, out var pid).Should().BeFalse();
        pid.Should().BeNull();
    }
}

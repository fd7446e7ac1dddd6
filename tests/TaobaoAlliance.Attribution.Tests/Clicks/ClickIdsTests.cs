using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Attribution.Tests.Clicks;

public sealed class ClickIdsTests
{
    [Fact]
    public void A_click_id_gives_back_the_millisecond_it_was_made_at()
    {
        var at = new DateTimeOffset(2026, 11, 29, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(4321);

        ClickIds.TimeOf(Guid.CreateVersion7(at)).Should().Be(new DateTimeOffset(2026, 11, 29, 23, 59, 59, 999, TimeSpan.Zero));
    }

    [Fact]
    public void The_range_of_a_click_id_holds_its_time_with_an_hour_either_side()
    {
        var at = new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.Zero);

        ClickIds.OccurredRange(Guid.CreateVersion7(at)).Should().Be((at.AddHours(-1), at.AddHours(1)));
    }

    [Fact]
    public void An_id_that_is_not_a_uuid_v7_says_nothing_about_time()
    {
        ClickIds.TimeOf(Guid.NewGuid()).Should().BeNull();
        ClickIds.OccurredRange(Guid.Empty).Should().BeNull();
    }
}

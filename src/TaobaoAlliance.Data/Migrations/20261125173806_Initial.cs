using System;
using Microsoft.EntityFrameworkCore.Migrations;
using TaobaoAlliance.Data.Ledger;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TaobaoAlliance.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateTable(
                name: "categories",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name_zh = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name_en = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_categories", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_emails",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    to = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    html_body = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_emails", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "platform_settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by_user_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_platform_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "roles",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    display_name = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subsidy_programmes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    bonus_bp = table.Column<int>(type: "integer", nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cap_fen = table.Column<long>(type: "bigint", nullable: false),
                    spent_fen = table.Column<long>(type: "bigint", nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subsidy_programmes", x => x.id);
                    table.CheckConstraint("ck_subsidy_programmes_bonus_bp", "bonus_bp BETWEEN 0 AND 10000");
                    table.CheckConstraint("ck_subsidy_programmes_cap_fen", "cap_fen >= 0 AND spent_fen BETWEEN 0 AND cap_fen");
                    table.CheckConstraint("ck_subsidy_programmes_period", "ends_at > starts_at");
                    table.ForeignKey(
                        name: "fk_subsidy_programmes_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "role_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    role_id = table.Column<long>(type: "bigint", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_role_claims_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_user_id = table.Column<long>(type: "bigint", nullable: true),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entity_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entity_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                    table.ForeignKey(
                        name: "fk_audit_log_asp_net_users_actor_user_id",
                        column: x => x.actor_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sellers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sellers", x => x.id);
                    table.ForeignKey(
                        name: "fk_sellers_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_user_claims_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_user_logins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_roles",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    role_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_user_roles_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_user_roles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webmasters",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    api_key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    api_key_prefix = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webmasters", x => x.id);
                    table.ForeignKey(
                        name: "fk_webmasters_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "shops",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    seller_id = table.Column<long>(type: "bigint", nullable: false),
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name_zh = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    name_en = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    general_rate_bp = table.Column<int>(type: "integer", nullable: false),
                    orders_api_secret = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shops", x => x.id);
                    table.CheckConstraint("ck_shops_general_rate_bp", "general_rate_bp BETWEEN 0 AND 9000");
                    table.ForeignKey(
                        name: "fk_shops_sellers_seller_id",
                        column: x => x.seller_id,
                        principalTable: "sellers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ledger_accounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    seller_id = table.Column<long>(type: "bigint", nullable: true),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_accounts", x => x.id);
                    table.CheckConstraint("ck_ledger_accounts_owner", "(kind IN ('SellerWallet','SellerCommissionDue') AND seller_id IS NOT NULL AND webmaster_id IS NULL) OR (kind IN ('WebmasterPending','WebmasterAvailable','WebmasterPayoutRequested','WebmasterPaidOut') AND webmaster_id IS NOT NULL AND seller_id IS NULL) OR (kind IN ('PlatformRevenue','PlatformSubsidy','External') AND seller_id IS NULL AND webmaster_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_ledger_accounts_sellers_seller_id",
                        column: x => x.seller_id,
                        principalTable: "sellers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_accounts_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "payout_requests",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    amount_fen = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decided_by_user_id = table.Column<long>(type: "bigint", nullable: true),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payout_requests", x => x.id);
                    table.CheckConstraint("ck_payout_requests_amount_fen", "amount_fen > 0");
                    table.ForeignKey(
                        name: "fk_payout_requests_asp_net_users_decided_by_user_id",
                        column: x => x.decided_by_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_payout_requests_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    claimed_daily_visitors = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    verification_token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    state_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sites", x => x.id);
                    table.CheckConstraint("ck_sites_claimed_daily_visitors", "claimed_daily_visitors >= 0");
                    table.ForeignKey(
                        name: "fk_sites_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sites_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    bid_fen = table.Column<long>(type: "bigint", nullable: false),
                    daily_budget_fen = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    impressions = table.Column<long>(type: "bigint", nullable: false),
                    clicks = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => x.id);
                    table.CheckConstraint("ck_campaigns_bid_fen", "bid_fen > 0");
                    table.CheckConstraint("ck_campaigns_counters", "impressions >= 0 AND clicks >= 0");
                    table.CheckConstraint("ck_campaigns_daily_budget_fen", "daily_budget_fen > 0");
                    table.ForeignKey(
                        name: "fk_campaigns_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    title_zh = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    title_en = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    price_fen = table.Column<long>(type: "bigint", nullable: false),
                    commission_rate_bp = table.Column<int>(type: "integer", nullable: true),
                    monthly_sales = table.Column<int>(type: "integer", nullable: false),
                    image_url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    is_listed = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_items", x => x.id);
                    table.CheckConstraint("ck_items_commission_rate_bp", "commission_rate_bp BETWEEN 0 AND 9000");
                    table.CheckConstraint("ck_items_monthly_sales", "monthly_sales >= 0");
                    table.CheckConstraint("ck_items_price_fen", "price_fen >= 0");
                    table.ForeignKey(
                        name: "fk_items_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_items_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "order_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    external_order_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(16)", maxLength: 16, nullable: false),
                    event_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    result = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_order_events_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ad_zones",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    is_smart = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ad_zones", x => x.id);
                    table.ForeignKey(
                        name: "fk_ad_zones_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "site_reviews",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    from_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    to_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    actor_user_id = table.Column<long>(type: "bigint", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_reviews", x => x.id);
                    table.ForeignKey(
                        name: "fk_site_reviews_asp_net_users_actor_user_id",
                        column: x => x.actor_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_site_reviews_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "campaign_categories",
                columns: table => new
                {
                    campaign_id = table.Column<long>(type: "bigint", nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_categories", x => new { x.campaign_id, x.category_id });
                    table.ForeignKey(
                        name: "fk_campaign_categories_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaign_categories_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "campaign_daily_spends",
                columns: table => new
                {
                    campaign_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    spent_fen = table.Column<long>(type: "bigint", nullable: false),
                    budget_fen = table.Column<long>(type: "bigint", nullable: false),
                    clicks = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_daily_spends", x => new { x.campaign_id, x.day });
                    table.CheckConstraint("ck_campaign_daily_spends_budget", "spent_fen BETWEEN 0 AND budget_fen AND clicks >= 0");
                    table.ForeignKey(
                        name: "fk_campaign_daily_spends_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "campaign_items",
                columns: table => new
                {
                    campaign_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_items", x => new { x.campaign_id, x.item_id });
                    table.ForeignKey(
                        name: "fk_campaign_items_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaign_items_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "cart_lines",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cart_lines", x => new { x.user_id, x.item_id });
                    table.CheckConstraint("ck_cart_lines_quantity", "quantity BETWEEN 1 AND 99");
                    table.ForeignKey(
                        name: "fk_cart_lines_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cart_lines_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "commission_rate_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: true),
                    rate_bp = table.Column<int>(type: "integer", nullable: true),
                    effective_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by_user_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commission_rate_changes", x => x.id);
                    table.CheckConstraint("ck_commission_rate_changes_rate_bp", "rate_bp BETWEEN 0 AND 9000");
                    table.ForeignKey(
                        name: "fk_commission_rate_changes_asp_net_users_changed_by_user_id",
                        column: x => x.changed_by_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_commission_rate_changes_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_commission_rate_changes_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "targeted_plans",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: true),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    rate_bp = table.Column<int>(type: "integer", nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_targeted_plans", x => x.id);
                    table.CheckConstraint("ck_targeted_plans_period", "ends_at IS NULL OR ends_at > starts_at");
                    table.CheckConstraint("ck_targeted_plans_rate_bp", "rate_bp BETWEEN 0 AND 9000");
                    table.ForeignKey(
                        name: "fk_targeted_plans_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_targeted_plans_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "links",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    zone_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    is_paused = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_links", x => x.id);
                    table.ForeignKey(
                        name: "fk_links_ad_zones_zone_id",
                        column: x => x.zone_id,
                        principalTable: "ad_zones",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_links_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_links_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_links_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "targeted_plan_members",
                columns: table => new
                {
                    plan_id = table.Column<long>(type: "bigint", nullable: false),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    applied_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_targeted_plan_members", x => new { x.plan_id, x.webmaster_id });
                    table.ForeignKey(
                        name: "fk_targeted_plan_members_targeted_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "targeted_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_targeted_plan_members_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "clicks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    link_id = table.Column<long>(type: "bigint", nullable: true),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    zone_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    visitor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ip_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    user_agent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    referrer = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    is_valid = table.Column<bool>(type: "boolean", nullable: false),
                    invalid_reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    item_rate_bp = table.Column<int>(type: "integer", nullable: false),
                    shop_rate_bp = table.Column<int>(type: "integer", nullable: false),
                    campaign_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clicks", x => x.id);
                    table.CheckConstraint("ck_clicks_invalid_reason", "is_valid OR invalid_reason IS NOT NULL");
                    table.CheckConstraint("ck_clicks_rates", "item_rate_bp BETWEEN 0 AND 9000 AND shop_rate_bp BETWEEN 0 AND 9000");
                    table.ForeignKey(
                        name: "fk_clicks_ad_zones_zone_id",
                        column: x => x.zone_id,
                        principalTable: "ad_zones",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_clicks_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_clicks_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_clicks_links_link_id",
                        column: x => x.link_id,
                        principalTable: "links",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_clicks_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_clicks_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_clicks_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "cpc_charges",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    campaign_id = table.Column<long>(type: "bigint", nullable: false),
                    click_id = table.Column<Guid>(type: "uuid", nullable: false),
                    zone_id = table.Column<long>(type: "bigint", nullable: false),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    price_fen = table.Column<long>(type: "bigint", nullable: false),
                    webmaster_share_fen = table.Column<long>(type: "bigint", nullable: false),
                    platform_margin_fen = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    charged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cpc_charges", x => x.id);
                    table.CheckConstraint("ck_cpc_charges_split", "price_fen >= 0 AND webmaster_share_fen >= 0 AND platform_margin_fen >= 0 AND price_fen = webmaster_share_fen + platform_margin_fen");
                    table.ForeignKey(
                        name: "fk_cpc_charges_ad_zones_zone_id",
                        column: x => x.zone_id,
                        principalTable: "ad_zones",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cpc_charges_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cpc_charges_clicks_click_id",
                        column: x => x.click_id,
                        principalTable: "clicks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cpc_charges_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    shop_id = table.Column<long>(type: "bigint", nullable: false),
                    external_order_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    checkout_id = table.Column<Guid>(type: "uuid", nullable: true),
                    buyer_user_id = table.Column<long>(type: "bigint", nullable: true),
                    buyer_ref = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    visitor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    click_id_hint = table.Column<Guid>(type: "uuid", nullable: true),
                    attributed_click_id = table.Column<Guid>(type: "uuid", nullable: true),
                    attribution_note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    fraud_flag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                    table.ForeignKey(
                        name: "fk_orders_asp_net_users_buyer_user_id",
                        column: x => x.buyer_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_orders_clicks_attributed_click_id",
                        column: x => x.attributed_click_id,
                        principalTable: "clicks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_orders_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "journal_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    actor_user_id = table.Column<long>(type: "bigint", nullable: true),
                    order_id = table.Column<long>(type: "bigint", nullable: true),
                    payout_request_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_journal_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_journal_entries_asp_net_users_actor_user_id",
                        column: x => x.actor_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_journal_entries_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_journal_entries_payout_requests_payout_request_id",
                        column: x => x.payout_request_id,
                        principalTable: "payout_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "order_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    item_id = table.Column<long>(type: "bigint", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    paid_fen = table.Column<long>(type: "bigint", nullable: false),
                    refunded_quantity = table.Column<int>(type: "integer", nullable: false),
                    refunded_fen = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_lines", x => x.id);
                    table.CheckConstraint("ck_order_lines_paid_fen", "paid_fen >= 0");
                    table.CheckConstraint("ck_order_lines_quantity", "quantity > 0");
                    table.CheckConstraint("ck_order_lines_refunds", "refunded_quantity BETWEEN 0 AND quantity AND refunded_fen BETWEEN 0 AND paid_fen");
                    table.ForeignKey(
                        name: "fk_order_lines_items_item_id",
                        column: x => x.item_id,
                        principalTable: "items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_order_lines_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "journal_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    entry_id = table.Column<long>(type: "bigint", nullable: false),
                    account_id = table.Column<long>(type: "bigint", nullable: false),
                    amount_fen = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_journal_lines", x => x.id);
                    table.CheckConstraint("ck_journal_lines_amount_fen", "amount_fen <> 0");
                    table.ForeignKey(
                        name: "fk_journal_lines_journal_entries_entry_id",
                        column: x => x.entry_id,
                        principalTable: "journal_entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_journal_lines_ledger_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "ledger_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "commissions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_line_id = table.Column<long>(type: "bigint", nullable: false),
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    webmaster_id = table.Column<long>(type: "bigint", nullable: false),
                    click_id = table.Column<Guid>(type: "uuid", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    rate_bp = table.Column<int>(type: "integer", nullable: false),
                    rate_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    platform_fee_bp = table.Column<int>(type: "integer", nullable: false),
                    subsidy_bonus_bp = table.Column<int>(type: "integer", nullable: false),
                    base_fen = table.Column<long>(type: "bigint", nullable: false),
                    commission_fen = table.Column<long>(type: "bigint", nullable: false),
                    platform_fee_fen = table.Column<long>(type: "bigint", nullable: false),
                    webmaster_fen = table.Column<long>(type: "bigint", nullable: false),
                    subsidy_fen = table.Column<long>(type: "bigint", nullable: false),
                    subsidy_programme_id = table.Column<long>(type: "bigint", nullable: true),
                    refunded_base_fen = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    explanation = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commissions", x => x.id);
                    table.CheckConstraint("ck_commissions_amounts", "base_fen >= 0 AND commission_fen >= 0 AND platform_fee_fen >= 0 AND webmaster_fen >= 0 AND subsidy_fen >= 0 AND commission_fen = platform_fee_fen + webmaster_fen");
                    table.CheckConstraint("ck_commissions_rate_bp", "rate_bp BETWEEN 0 AND 9000 AND platform_fee_bp BETWEEN 0 AND 10000 AND subsidy_bonus_bp BETWEEN 0 AND 10000");
                    table.CheckConstraint("ck_commissions_refunded", "refunded_base_fen BETWEEN 0 AND base_fen");
                    table.ForeignKey(
                        name: "fk_commissions_clicks_click_id",
                        column: x => x.click_id,
                        principalTable: "clicks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_commissions_order_lines_order_line_id",
                        column: x => x.order_line_id,
                        principalTable: "order_lines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_commissions_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_commissions_subsidy_programmes_subsidy_programme_id",
                        column: x => x.subsidy_programme_id,
                        principalTable: "subsidy_programmes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_commissions_webmasters_webmaster_id",
                        column: x => x.webmaster_id,
                        principalTable: "webmasters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ad_zones_site_id",
                table: "ad_zones",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_actor_user_id",
                table: "audit_log",
                column: "actor_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at",
                table: "audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_entity_type_entity_id",
                table: "audit_log",
                columns: new[] { "entity_type", "entity_id" });

            migrationBuilder.CreateIndex(
                name: "ix_campaign_categories_category_id",
                table: "campaign_categories",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_campaign_items_item_id",
                table: "campaign_items",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_shop_id_state",
                table: "campaigns",
                columns: new[] { "shop_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_cart_lines_item_id",
                table: "cart_lines",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_categories_slug",
                table: "categories",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_clicks_campaign_id",
                table: "clicks",
                column: "campaign_id");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_item_id_occurred_at",
                table: "clicks",
                columns: new[] { "item_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_clicks_link_id",
                table: "clicks",
                column: "link_id");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_shop_id",
                table: "clicks",
                column: "shop_id");

            migrationBuilder.CreateIndex(
                name: "ix_clicks_site_id_ip_hash_occurred_at",
                table: "clicks",
                columns: new[] { "site_id", "ip_hash", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_clicks_visitor_id_occurred_at",
                table: "clicks",
                columns: new[] { "visitor_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_clicks_webmaster_id_occurred_at",
                table: "clicks",
                columns: new[] { "webmaster_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_clicks_zone_id",
                table: "clicks",
                column: "zone_id");

            migrationBuilder.CreateIndex(
                name: "ix_commission_rate_changes_changed_by_user_id",
                table: "commission_rate_changes",
                column: "changed_by_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_commission_rate_changes_item_id",
                table: "commission_rate_changes",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_commission_rate_changes_shop_id_item_id_effective_from",
                table: "commission_rate_changes",
                columns: new[] { "shop_id", "item_id", "effective_from" });

            migrationBuilder.CreateIndex(
                name: "ix_commissions_click_id",
                table: "commissions",
                column: "click_id");

            migrationBuilder.CreateIndex(
                name: "ix_commissions_order_id",
                table: "commissions",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_commissions_order_line_id",
                table: "commissions",
                column: "order_line_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_commissions_state_created_at",
                table: "commissions",
                columns: new[] { "state", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_commissions_subsidy_programme_id",
                table: "commissions",
                column: "subsidy_programme_id");

            migrationBuilder.CreateIndex(
                name: "ix_commissions_webmaster_id_created_at",
                table: "commissions",
                columns: new[] { "webmaster_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cpc_charges_campaign_id_day",
                table: "cpc_charges",
                columns: new[] { "campaign_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_cpc_charges_click_id",
                table: "cpc_charges",
                column: "click_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cpc_charges_webmaster_id_charged_at",
                table: "cpc_charges",
                columns: new[] { "webmaster_id", "charged_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cpc_charges_zone_id",
                table: "cpc_charges",
                column: "zone_id");

            migrationBuilder.CreateIndex(
                name: "ix_items_category_id_is_listed",
                table: "items",
                columns: new[] { "category_id", "is_listed" });

            migrationBuilder.CreateIndex(
                name: "ix_items_shop_id_is_listed",
                table: "items",
                columns: new[] { "shop_id", "is_listed" });

            migrationBuilder.CreateIndex(
                name: "ix_items_title_en_trgm",
                table: "items",
                column: "title_en")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_items_title_zh_trgm",
                table: "items",
                column: "title_zh")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_journal_entries_actor_user_id",
                table: "journal_entries",
                column: "actor_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_journal_entries_idempotency_key",
                table: "journal_entries",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_journal_entries_occurred_at",
                table: "journal_entries",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_journal_entries_order_id",
                table: "journal_entries",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_journal_entries_payout_request_id",
                table: "journal_entries",
                column: "payout_request_id");

            migrationBuilder.CreateIndex(
                name: "ix_journal_lines_account_id",
                table: "journal_lines",
                column: "account_id")
                .Annotation("Npgsql:IndexInclude", new[] { "amount_fen" });

            migrationBuilder.CreateIndex(
                name: "ix_journal_lines_entry_id",
                table: "journal_lines",
                column: "entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_kind_seller_id_webmaster_id",
                table: "ledger_accounts",
                columns: new[] { "kind", "seller_id", "webmaster_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_seller_id",
                table: "ledger_accounts",
                column: "seller_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_webmaster_id",
                table: "ledger_accounts",
                column: "webmaster_id");

            migrationBuilder.CreateIndex(
                name: "ix_links_code",
                table: "links",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_links_item_id",
                table: "links",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_links_site_id",
                table: "links",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_links_webmaster_id_created_at",
                table: "links",
                columns: new[] { "webmaster_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_links_zone_id_item_id",
                table: "links",
                columns: new[] { "zone_id", "item_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_order_events_shop_id_event_key",
                table: "order_events",
                columns: new[] { "shop_id", "event_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_order_lines_item_id",
                table: "order_lines",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_order_lines_order_id_item_id",
                table: "order_lines",
                columns: new[] { "order_id", "item_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_attributed_click_id",
                table: "orders",
                column: "attributed_click_id");

            migrationBuilder.CreateIndex(
                name: "ix_orders_buyer_user_id_paid_at",
                table: "orders",
                columns: new[] { "buyer_user_id", "paid_at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_shop_id_external_order_id",
                table: "orders",
                columns: new[] { "shop_id", "external_order_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_state_paid_at",
                table: "orders",
                columns: new[] { "state", "paid_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_emails_created_at",
                table: "outbox_emails",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_emails_to",
                table: "outbox_emails",
                column: "to");

            migrationBuilder.CreateIndex(
                name: "ix_payout_requests_decided_by_user_id",
                table: "payout_requests",
                column: "decided_by_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_payout_requests_state_requested_at",
                table: "payout_requests",
                columns: new[] { "state", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ux_payout_requests_one_open",
                table: "payout_requests",
                column: "webmaster_id",
                unique: true,
                filter: "state = 'Requested'");

            migrationBuilder.CreateIndex(
                name: "ix_role_claims_role_id",
                table: "role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "roles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sellers_user_id",
                table: "sellers",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_shops_seller_id",
                table: "shops",
                column: "seller_id");

            migrationBuilder.CreateIndex(
                name: "ix_shops_slug",
                table: "shops",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_site_reviews_actor_user_id",
                table: "site_reviews",
                column: "actor_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_site_reviews_site_id_at",
                table: "site_reviews",
                columns: new[] { "site_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_sites_category_id",
                table: "sites",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_sites_state_created_at",
                table: "sites",
                columns: new[] { "state", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sites_webmaster_id",
                table: "sites",
                column: "webmaster_id");

            migrationBuilder.CreateIndex(
                name: "ix_subsidy_programmes_category_id",
                table: "subsidy_programmes",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_subsidy_programmes_starts_at_ends_at",
                table: "subsidy_programmes",
                columns: new[] { "starts_at", "ends_at" });

            migrationBuilder.CreateIndex(
                name: "ix_targeted_plan_members_webmaster_id",
                table: "targeted_plan_members",
                column: "webmaster_id");

            migrationBuilder.CreateIndex(
                name: "ix_targeted_plans_item_id",
                table: "targeted_plans",
                column: "item_id");

            migrationBuilder.CreateIndex(
                name: "ix_targeted_plans_shop_id_item_id",
                table: "targeted_plans",
                columns: new[] { "shop_id", "item_id" });

            migrationBuilder.CreateIndex(
                name: "ix_user_claims_user_id",
                table: "user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_logins_user_id",
                table: "user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_roles_role_id",
                table: "user_roles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "users",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webmasters_api_key_hash",
                table: "webmasters",
                column: "api_key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webmasters_user_id",
                table: "webmasters",
                column: "user_id",
                unique: true);

            migrationBuilder.Sql(LedgerTriggers.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(LedgerTriggers.Drop);

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "campaign_categories");

            migrationBuilder.DropTable(
                name: "campaign_daily_spends");

            migrationBuilder.DropTable(
                name: "campaign_items");

            migrationBuilder.DropTable(
                name: "cart_lines");

            migrationBuilder.DropTable(
                name: "commission_rate_changes");

            migrationBuilder.DropTable(
                name: "commissions");

            migrationBuilder.DropTable(
                name: "cpc_charges");

            migrationBuilder.DropTable(
                name: "journal_lines");

            migrationBuilder.DropTable(
                name: "order_events");

            migrationBuilder.DropTable(
                name: "outbox_emails");

            migrationBuilder.DropTable(
                name: "platform_settings");

            migrationBuilder.DropTable(
                name: "role_claims");

            migrationBuilder.DropTable(
                name: "site_reviews");

            migrationBuilder.DropTable(
                name: "targeted_plan_members");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_roles");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "order_lines");

            migrationBuilder.DropTable(
                name: "subsidy_programmes");

            migrationBuilder.DropTable(
                name: "journal_entries");

            migrationBuilder.DropTable(
                name: "ledger_accounts");

            migrationBuilder.DropTable(
                name: "targeted_plans");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.DropTable(
                name: "payout_requests");

            migrationBuilder.DropTable(
                name: "clicks");

            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropTable(
                name: "links");

            migrationBuilder.DropTable(
                name: "ad_zones");

            migrationBuilder.DropTable(
                name: "items");

            migrationBuilder.DropTable(
                name: "sites");

            migrationBuilder.DropTable(
                name: "shops");

            migrationBuilder.DropTable(
                name: "categories");

            migrationBuilder.DropTable(
                name: "webmasters");

            migrationBuilder.DropTable(
                name: "sellers");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}

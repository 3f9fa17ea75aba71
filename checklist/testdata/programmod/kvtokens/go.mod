module example.com/kvtokens

go 1.26.0

require (
	github.com/go-redis/redis/v8 v8.0.0
	github.com/gomodule/redigo v1.0.0
	github.com/redis/go-redis/v9 v9.0.0
)

replace (
	github.com/go-redis/redis/v8 => ./stand-in/goredisv8
	github.com/gomodule/redigo => ./stand-in/redigo
	github.com/redis/go-redis/v9 => ./stand-in/goredis
)

module example.com/tokens

go 1.26.0

require gorm.io/gorm v0.0.0

replace gorm.io/gorm => ./stand-in/gorm
